import type { Publication, PublicationDocument, PublicationIndex, PublicationSource } from '@cubemark/format';
import { publicationIndex } from '@cubemark/format';

/** Whether a publish input is a `PublicationSource` rather than a model. */
export function isPublicationSource(value: unknown): value is PublicationSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PublicationSource).load === 'function' &&
    typeof (value as PublicationSource).index === 'object' &&
    (value as PublicationSource).index !== null
  );
}

/**
 * The metadata and prose of one held publication: either given as a model (a client publish: held as is), or a
 * `PublicationSource` whose model is built on first use. A built model is kept only weakly here — whoever uses it
 * (a `HeldPublication` in the scheduler's bounded cache, a request in flight) keeps it alive — so holding
 * thousands of restored publications costs their index and text, not their models.
 */
export class PublicationContent {
  private strong?: PublicationDocument;
  private weak?: WeakRef<PublicationDocument>;

  private constructor(
    readonly index: PublicationIndex,
    /** Model-cache charge: the source's text size; 0 for a model given as is (the record holds it anyway). */
    readonly bytes: number,
    private readonly source?: PublicationSource,
  ) {}

  /** Content given as a model: `load` returns these very objects. */
  static of(publication: Publication, body?: string): PublicationContent {
    const content = new PublicationContent(publicationIndex(publication), 0);
    content.strong = { publication, ...(body !== undefined && { body }) };
    return content;
  }

  /** Content built from `source` on first use. */
  static from(source: PublicationSource): PublicationContent {
    return new PublicationContent(source.index, Math.max(0, source.bytes || 0), source);
  }

  /** Whether the model is in memory now, so reading it costs nothing. */
  get loaded(): boolean {
    return this.strong !== undefined || this.weak?.deref() !== undefined;
  }

  /** Whether the model is built on demand (and may be dropped) rather than held. */
  get lazy(): boolean {
    return this.source !== undefined;
  }

  /** The model and prose; builds them from the source if nobody holds them now. */
  load(): PublicationDocument {
    if (this.strong) return this.strong;
    const held = this.weak?.deref();
    if (held) return held;
    let loaded: PublicationDocument;
    try {
      loaded = this.source!.load();
    } catch (error) {
      // Held text that no longer parses is a bug (it was validated before it was published): a 500, not a 4xx.
      throw new Error(`the held text of '${this.index.name}' could not be read back: ${(error as Error).message}`, { cause: error });
    }
    if (loaded.publication.name !== this.index.name || loaded.publication.cubes.length !== this.index.cubes.length) {
      throw new Error(`the held text of '${this.index.name}' does not match its index (${loaded.publication.name}, ${loaded.publication.cubes.length} cubes)`);
    }
    this.weak = new WeakRef(loaded);
    return loaded;
  }
}

import { bytesPerElement, product, type CubeMeta, type Dtype, type Names, type Publication, type Source } from '@cubemark/format';

/** One cube as a listing shows it: no coordinates, no attributes, no summary. */
export interface CubeIndex {
  /** Iris's `name()`: the standard name, else the long name, else the variable name, else `unknown`. */
  name: string;
  units: string;
  dims: string[];
  shape: number[];
  dtype: Dtype;
}

/**
 * What listing a publication and checking its data sources need, without its model: a few hundred bytes per cube
 * where the model is kilobytes, and plain data, so it is cheap to copy from a worker thread and to hold for every
 * publication of a large store.
 */
export interface PublicationIndex {
  name: string;
  title?: string;
  cubes: CubeIndex[];
  /** Bytes all cubes' data would take in memory (sum over cubes of shape × dtype size). */
  lazyBytes: number;
  /** The data sources as the publication records them (size, mtime, ETag), for staleness checks. */
  sources: Source[];
}

/**
 * A publication held without its model (what the restore plugin publishes): the model is built by `load` when a
 * request first needs it, and may be dropped again later (the scheduler keeps only recently used models), so
 * `load` must give an equal model every time. `load` is synchronous (a parse: ~4 ms for a 200 KB, 60-cube
 * file) so `HeldPublication.publication` can stay a plain property read.
 */
export interface PublicationSource {
  readonly index: PublicationIndex;
  /** Size of the text the model is built from, in bytes: what the scheduler charges its model cache for it. */
  readonly bytes: number;
  load(): { publication: Publication; body?: string };
}

/** A publication's metadata and prose, built. */
export interface LoadedPublication {
  publication: Publication;
  body?: string;
}

/** Bytes the values of an array of this dtype and shape take in memory (strings are not counted: their size is unknown until read). */
export function lazyBytesOf(dtype: CubeMeta['dtype'], shape: readonly number[]): number {
  return dtype === 'string' ? 0 : product(shape) * bytesPerElement(dtype);
}

/** Iris's `name()` of anything named. */
export function nameOf(n: Names): string {
  return n.standard_name || n.long_name || n.var_name || 'unknown';
}

/** The index of a publication model. */
export function publicationIndex(publication: Publication): PublicationIndex {
  return {
    name: publication.name,
    ...(publication.title !== undefined && { title: publication.title }),
    cubes: publication.cubes.map((c) => ({ name: nameOf(c), units: c.units, dims: [...c.dims], shape: [...c.shape], dtype: c.dtype })),
    lazyBytes: publication.cubes.reduce((sum, c) => sum + lazyBytesOf(c.dtype, c.shape), 0),
    sources: publication.sources.map((s) => ({ ...s })),
  };
}

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
  private strong?: LoadedPublication;
  private weak?: WeakRef<LoadedPublication>;

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
  load(): LoadedPublication {
    if (this.strong) return this.strong;
    const held = this.weak?.deref();
    if (held) return held;
    let loaded: LoadedPublication;
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

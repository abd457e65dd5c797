import { serialize, type HeldState, type Publication, type PublicationDocument, type PublicationIndex } from '@cubemark/format';
import { Cube, type ArrayResult, type LazyContext } from '@cubemark/cube';
import { SchedulerError } from '../errors.js';
import type { PublishOrigin } from '../plugins/types.js';
import type { PublicationRecord } from '../registry/types.js';
import { cubeAccess, type CubeAccess } from './access.js';
import { unifyParameter, type UnifiedCube } from './unified.js';

export type { CubeAccess } from './access.js';
export type { UnifiedCube } from './unified.js';

/** Where a held publication gets the things it does not own: byte sources, and resident values if persisted. */
export interface HeldContext {
  lazy: Omit<LazyContext, 'sources'>;
  /** Resident data of the publication with this record id, one result per cube, or undefined. */
  resident(id: string): readonly ArrayResult[] | undefined;
  /**
   * `held` now keeps `bytes` more in memory (a model it built from text, a cached description): the scheduler's
   * bounded cache of held publications counts it, and drops the least recently used ones beyond its budget.
   */
  charge?(held: HeldPublication, bytes: number): void;
}

/** Heap a model built from text is charged, per byte of that text (measured: README "Numbers"). */
export const MODEL_HEAP_PER_TEXT_BYTE = 3;

/**
 * A publication as the scheduler holds it: the record (metadata, prose, state) and lazy data access built on
 * first use. Immutable: a replace makes a new one (with a new `id`). For a publication held as text (restored),
 * the model is built when `publication`, `body` or a cube is first read, and kept as long as this object.
 */
export class HeldPublication {
  readonly name: string;
  readonly state: HeldState;
  readonly warnings: readonly string[];
  readonly publishedAt: string;
  readonly origin: PublishOrigin;
  readonly id: string;
  private readonly cubeCache = new Map<number, CubeAccess>();
  private readonly unifiedCache = new Map<string, Promise<UnifiedCube>>();
  private readonly derivedCache = new Map<string, unknown>();
  private model?: PublicationDocument;

  constructor(
    readonly record: PublicationRecord,
    private readonly ctx: HeldContext,
  ) {
    this.name = record.name;
    this.state = record.state;
    this.warnings = record.warnings;
    this.publishedAt = record.publishedAt;
    this.origin = record.origin;
    this.id = record.id;
  }

  /** The metadata (format model); built on first read for a publication held as text. */
  get publication(): Publication {
    return this.loadModel().publication;
  }

  /** How its sources are opened: the scheduler's byte-source pool and data base (for exports that read them). */
  get sourceContext(): Omit<LazyContext, 'sources'> {
    return this.ctx.lazy;
  }

  /** The prose; built with the model. */
  get body(): string | undefined {
    return this.loadModel().body;
  }

  /** What listing needs (title, cubes' names, units, shapes, sources), without building the model. */
  get index(): PublicationIndex {
    return this.record.content.index;
  }

  /** Whether the model is in memory, so reading `publication` costs nothing. */
  get loaded(): boolean {
    return this.model !== undefined || this.record.content.loaded;
  }

  private loadModel(): PublicationDocument {
    if (!this.model) {
      const content = this.record.content;
      this.model = content.load();
      // This object keeps the model alive now: charge the cache that bounds how many are kept. A model given as
      // is costs nothing more (the record holds it anyway).
      if (content.lazy) this.ctx.charge?.(this, content.bytes * MODEL_HEAP_PER_TEXT_BYTE);
    }
    return this.model;
  }

  /**
   * A value derived from the metadata (a JSON description), made once and kept as long as this object (a replace
   * makes a new one, so it never outlives its metadata). Its size is charged to the scheduler's cache.
   */
  derived<T>(key: string, make: () => T, bytes: (value: T) => number): T {
    if (this.derivedCache.has(key)) return this.derivedCache.get(key) as T;
    const value = make();
    this.derivedCache.set(key, value);
    this.ctx.charge?.(this, bytes(value));
    return value;
  }

  get title(): string | undefined {
    return this.index.title;
  }

  get cubeCount(): number {
    return this.index.cubes.length;
  }

  /** Bytes all cubes' data would take if read into memory. */
  get lazyBytes(): number {
    return this.index.lazyBytes;
  }

  /** The canonical `.cube.md` text, keeping the prose. */
  markdown(): string {
    return serialize(this.publication, { body: this.body });
  }

  /** Cube `index`, or a CUBE_NOT_FOUND error saying how many there are. */
  cube(index: number): CubeAccess {
    const n = this.cubeCount;
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new SchedulerError(
        'CUBE_NOT_FOUND',
        `publication '${this.name}' has ${n} cube${n === 1 ? '' : 's'}${n ? ` (indices 0-${n - 1})` : ''}; there is no cube ${index}`,
      );
    }
    let access = this.cubeCache.get(index);
    if (!access) {
      access = this.makeCube(index);
      this.cubeCache.set(index, access);
    }
    return access;
  }

  /**
   * The cubes called `parameter` (Iris's `name()`) as one, from the models of this publication's cubes (see
   * `unifyParameter`). Cached per publication: a replace makes a new HeldPublication.
   */
  unified(parameter: string): Promise<UnifiedCube> {
    let result = this.unifiedCache.get(parameter);
    if (!result) {
      result = (async () => unifyParameter(this.publication, Array.from({ length: this.cubeCount }, (_, i) => this.cube(i).cube), parameter))();
      this.unifiedCache.set(parameter, result);
    }
    return result;
  }

  /** Cube `index`: its model built from its metadata on first use, its values resident once persisted. */
  private makeCube(index: number): CubeAccess {
    const publication = this.publication;
    const meta = publication.cubes[index]!;
    const lazy: LazyContext = { ...this.ctx.lazy, sources: publication.sources };
    const { ctx, id } = this;
    return cubeAccess(index, meta, () => Cube.fromMeta(meta, { publication, lazy }), () => ctx.resident(id)?.[index]);
  }
}

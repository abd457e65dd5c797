import { serialize, type CubeMeta, type HeldState, type Publication, type PublicationDocument, type PublicationIndex } from '@cubemark/format';
import {
  ConcatenateError,
  InlineLazyArray,
  MergeError,
  concatenateCube,
  cubesFromPublication,
  fromArrayData,
  mergeCube,
  publicationFromCubes,
  type ArrayResult,
  type Cube,
  type LazyArray,
  type LazyContext,
} from '@cubemark/cube';
import { SchedulerError } from '../errors.js';
import type { PublishOrigin } from '../plugins/types.js';
import type { PublicationRecord } from '../registry/types.js';
import { PublicationContent } from './content.js';

/**
 * One cube of a held publication: its metadata and lazy access to its values. Nothing is read until `read` (or a
 * reduction) is called on an array; building them costs no I/O either, and happens on first use.
 *
 * This wraps the lazy layer (`fromArrayData`) directly; when @cubemark/cube exports its Cube model this is the one
 * place that changes.
 */
export interface CubeAccess {
  readonly index: number;
  readonly meta: CubeMeta;
  /** The cube's values: resident (in memory) when the publication was persisted, else read lazily from its sources. */
  data(): LazyArray;
  /** Lazy points of a coordinate (dimension or auxiliary), by its key in the metadata. */
  points(key: string): LazyArray;
  /** Whether `data()` is served from memory right now. */
  readonly resident: boolean;
}

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

/** One parameter of a publication as one cube: the parts it was built from and the result, held like a publication. */
export interface UnifiedCube {
  parameter: string;
  /** Indices of the publication's cubes called `parameter`, in order. */
  parts: number[];
  /** `concatenate` (joined along an existing dimension), `merge` (stacked along a new one), or `single`. */
  how: 'concatenate' | 'merge' | 'single';
  /** A publication of one cube (index 0): its metadata, sources and coordinate systems, and lazy access to it. */
  held: HeldPublication;
}

/**
 * Heap a model built from text takes, per byte of that text: ~380 KB of objects for a 203 KB, 60-cube file, plus
 * the file's text itself (its strings are slices of it), measured on bench/restore's publications.
 */
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
      access = this.makeCube(index, this.publication.cubes[index]!);
      this.cubeCache.set(index, access);
    }
    return access;
  }

  /**
   * The cubes called `parameter` (Iris's `name()`) as one: concatenated along a dimension they share (a forecast
   * split over files by time), else merged along a new one (one cube per scalar coordinate value), as Iris's
   * `concatenate_cube` and `merge_cube`. Nothing is read but coordinate points. Cached per publication (a replace
   * makes a new HeldPublication); PARAMETER_NOT_FOUND when no cube has that name, MERGE_FAILED with
   * `details.reasons` (Iris's wording) and `details.parts` when they join neither way.
   */
  unified(parameter: string): Promise<UnifiedCube> {
    let result = this.unifiedCache.get(parameter);
    if (!result) {
      result = this.makeUnified(parameter);
      this.unifiedCache.set(parameter, result);
    }
    return result;
  }

  private async makeUnified(parameter: string): Promise<UnifiedCube> {
    const lazy: LazyContext = { ...this.ctx.lazy, sources: this.publication.sources };
    const all = [...cubesFromPublication(this.publication, { lazy })];
    const parts = all.flatMap((cube, index) => (cube.name() === parameter ? [index] : []));
    if (parts.length === 0) {
      const names = [...new Set(all.map((c) => c.name()))];
      throw new SchedulerError('PARAMETER_NOT_FOUND', `publication '${this.name}' has no cube called '${parameter}'; it has ${names.join(', ') || 'no cubes'}`);
    }
    const cubes = parts.map((i) => all[i]);
    let cube: Cube;
    let how: UnifiedCube['how'];
    if (cubes.length === 1) {
      [cube, how] = [cubes[0], 'single'];
    } else {
      try {
        [cube, how] = [await concatenateCube(cubes), 'concatenate'];
      } catch (concatError) {
        if (!(concatError instanceof ConcatenateError)) throw concatError;
        try {
          [cube, how] = [await mergeCube(cubes), 'merge'];
        } catch (mergeError) {
          if (!(mergeError instanceof MergeError)) throw mergeError;
          const reasons = [...concatError.differences.map((d) => `concatenate: ${d}`), ...mergeError.differences.map((d) => `merge: ${d}`)];
          throw new SchedulerError('MERGE_FAILED', `the ${cubes.length} cubes called '${parameter}' do not join into one:\n  ${reasons.join('\n  ')}`, {
            details: { reasons, parts },
          });
        }
      }
    }
    const publication = publicationFromCubes([cube], { name: this.name, title: this.publication.title });
    const record: PublicationRecord = { ...this.record, content: PublicationContent.of(publication), id: `${this.id}#unified:${parameter}` };
    return { parameter, parts, how, held: new HeldPublication(record, this.ctx) };
  }

  private makeCube(index: number, meta: CubeMeta): CubeAccess {
    const lazy: LazyContext = { ...this.ctx.lazy, sources: this.publication.sources };
    const { ctx, id } = this;
    let data: LazyArray | undefined;
    const points = new Map<string, LazyArray>();
    return {
      index,
      meta,
      get resident() {
        return ctx.resident(id)?.[index] !== undefined;
      },
      data() {
        const held = ctx.resident(id)?.[index];
        if (held) return new InlineLazyArray(held.values, held.shape, { dtype: held.dtype, mask: held.mask });
        return (data ??= fromArrayData(meta.data, lazy));
      },
      points(key: string) {
        const coord = meta.dim_coords[key] ?? meta.aux_coords[key];
        if (!coord) throw new SchedulerError('BAD_SELECTION', `cube ${index} has no coordinate '${key}'`);
        let array = points.get(key);
        if (!array) {
          array = fromArrayData(coord.points, lazy);
          points.set(key, array);
        }
        return array;
      },
    };
  }
}

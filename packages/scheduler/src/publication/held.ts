import { bytesPerElement, product, serialize, type CubeMeta, type Publication } from '@cubemark/format';
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
import type { PublicationState, PublishOrigin } from '../plugins/types.js';
import type { PublicationRecord } from '../registry/types.js';

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

/** Bytes the values of an array of this dtype and shape take in memory (strings are not counted: their size is unknown until read). */
export function lazyBytesOf(dtype: CubeMeta['dtype'], shape: readonly number[]): number {
  return dtype === 'string' ? 0 : product(shape) * bytesPerElement(dtype);
}

/**
 * A publication as the scheduler holds it: the record (metadata, prose, state) and lazy data access built on
 * first use. Immutable: a replace makes a new one (with a new `id`).
 */
export class HeldPublication {
  readonly name: string;
  readonly publication: Publication;
  readonly body?: string;
  readonly state: PublicationState;
  readonly warnings: readonly string[];
  readonly publishedAt: string;
  readonly origin: PublishOrigin;
  readonly id: string;
  private readonly cubeCache = new Map<number, CubeAccess>();
  private readonly unifiedCache = new Map<string, Promise<UnifiedCube>>();

  constructor(
    readonly record: PublicationRecord,
    private readonly ctx: HeldContext,
  ) {
    this.name = record.name;
    this.publication = record.publication;
    this.body = record.body;
    this.state = record.state;
    this.warnings = record.warnings;
    this.publishedAt = record.publishedAt;
    this.origin = record.origin;
    this.id = record.id;
  }

  get title(): string | undefined {
    return this.publication.title;
  }

  get cubeCount(): number {
    return this.publication.cubes.length;
  }

  /** Bytes all cubes' data would take if read into memory. */
  get lazyBytes(): number {
    return this.publication.cubes.reduce((sum, c) => sum + lazyBytesOf(c.dtype, c.shape), 0);
  }

  /** The canonical `.cube.md` text, keeping the prose. */
  markdown(): string {
    return serialize(this.publication, { body: this.body });
  }

  /** Cube `index`, or a CUBE_NOT_FOUND error saying how many there are. */
  cube(index: number): CubeAccess {
    const meta = this.publication.cubes[index];
    if (!Number.isInteger(index) || meta === undefined) {
      const n = this.publication.cubes.length;
      throw new SchedulerError(
        'CUBE_NOT_FOUND',
        `publication '${this.name}' has ${n} cube${n === 1 ? '' : 's'}${n ? ` (indices 0-${n - 1})` : ''}; there is no cube ${index}`,
      );
    }
    let access = this.cubeCache.get(index);
    if (!access) {
      access = this.makeCube(index, meta);
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
    const record: PublicationRecord = { ...this.record, publication, id: `${this.id}#unified:${parameter}` };
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

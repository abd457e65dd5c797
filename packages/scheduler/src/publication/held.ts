import { bytesPerElement, product, serialize, type CubeMeta, type Publication } from '@cubemark/format';
import { InlineLazyArray, fromArrayData, type ArrayResult, type LazyArray, type LazyContext } from '@cubemark/cube';
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

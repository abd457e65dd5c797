import type { CubeMeta } from '@cubemark/format';
import { InlineLazyArray, type ArrayResult, type Cube, type LazyArray } from '@cubemark/cube';
import { SchedulerError } from '../errors.js';

/**
 * One cube as the routes read it, a publication's cube or a unified one alike: its format metadata, its `Cube`
 * model (built on first use), and its values. Nothing is read until `read` (or a reduction) is called on an array.
 */
export interface CubeAccess {
  readonly index: number;
  readonly meta: CubeMeta;
  /** The cube model: coordinates are looked up and their points read through it. */
  readonly cube: Cube;
  /** The cube's values: resident (in memory) when the publication was persisted, else the model's lazy data. */
  data(): LazyArray;
  /** Lazy points of a dimension or auxiliary coordinate, by its key in the metadata. */
  points(key: string): LazyArray;
  /** Whether `data()` is served from memory right now. */
  readonly resident: boolean;
}

/**
 * The access to cube `index` described by `meta`, whose model `model()` builds (once, when first needed);
 * `resident()` gives its values when they are held in memory.
 */
export function cubeAccess(index: number, meta: CubeMeta, model: () => Cube, resident: () => ArrayResult | undefined = () => undefined): CubeAccess {
  let cube: Cube | undefined;
  const built = () => (cube ??= model());
  return {
    index,
    meta,
    get cube() {
      return built();
    },
    get resident() {
      return resident() !== undefined;
    },
    data() {
      const held = resident();
      if (held) return new InlineLazyArray(held.values, held.shape, { dtype: held.dtype, mask: held.mask });
      // The plain lazy array, not its description: reductions stream from the source arrays they find in it.
      return built().data.lazy;
    },
    points(key: string) {
      const entry = built()
        .coordEntries()
        .find((e) => e.key === key && e.role !== 'derived');
      if (!entry) throw new SchedulerError('BAD_SELECTION', `cube ${index} has no coordinate '${key}'`);
      return entry.coord.points.lazy;
    },
  };
}

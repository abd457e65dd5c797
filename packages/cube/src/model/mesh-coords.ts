import type { ArrayValues, MeshAxis, MeshCoordinate } from '@cubemark/format';
import { MESH_AXES, product } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import { fromArrayData } from '../lazy/from-data.js';
import { AuxCoord } from './coords.js';
import { DescribedArray } from './described-array.js';
import { CubeStructureError } from './errors.js';
import type { MeshPlacement } from './mesh.js';
import { namesFromMeta } from './names.js';
import { ComputedLazyArray } from './reduced-array.js';

/**
 * Iris's `MeshCoord`s of a cube on a mesh, one per axis (x, then y): names, units and attributes of the location's
 * coordinate, its points, and for edges and faces bounds made from the node coordinates of each element's nodes
 * (through the `edge_node_connectivity` or `face_node_connectivity`; unused slots are NaN). All lazy: nothing is
 * read until the points or bounds are.
 */
export function meshCoords(placement: MeshPlacement): AuxCoord[] {
  const { mesh, location, lazy } = placement;
  if (!lazy) throw new CubeStructureError(`mesh '${placement.key}': its arrays cannot be opened here (no lazy context was given with it)`);
  const ctx = { ...lazy, sources: placement.sources };
  const elements = mesh[location];
  const connectivity = location === 'node' ? undefined : mesh.connectivities[`${location}_node_connectivity`];
  return MESH_AXES.flatMap((axis: MeshAxis) => {
    const coord = elements?.coords[axis];
    if (!coord || !elements) return [];
    const node = mesh.node.coords[axis] as MeshCoordinate;
    let bounds: DescribedArray | undefined;
    if (connectivity) {
      const slots = connectivity.indices.shape[1 - connectivity.location_axis] ?? 0;
      const count = elements.count;
      const compute = async (options?: RangeOptions): Promise<ArrayValues> => {
        const [indices, nodes] = await Promise.all([fromArrayData(connectivity.indices, ctx).read(options), fromArrayData(node.points, ctx).read(options)]);
        const out = new Float64Array(count * slots);
        for (let e = 0; e < count; e++) {
          for (let s = 0; s < slots; s++) {
            const k = connectivity.location_axis === 0 ? e * slots + s : s * count + e;
            const i = Number(indices.values[k]) - connectivity.start_index;
            const valid = !indices.mask?.[k] && Number.isInteger(i) && i >= 0 && i < nodes.values.length && !nodes.mask?.[i];
            out[e * slots + s] = valid ? Number(nodes.values[i]) : Number.NaN;
          }
        }
        return out;
      };
      if (product([count, slots]) > 0) bounds = DescribedArray.from(new ComputedLazyArray([count, slots], 'float64', compute));
    }
    return [
      new AuxCoord({
        ...namesFromMeta(coord),
        units: coord.units,
        attributes: coord.attributes,
        points: DescribedArray.fromData(coord.points, lazy, placement.sources),
        ...(bounds && { bounds }),
      }),
    ];
  });
}

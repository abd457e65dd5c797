import type { Coord } from '../coords.js';
import type { Cube } from '../cube.js';
import type { CubeParts } from '../parts.js';
import {
  coordMetaEqual,
  coordValuesEqual,
  definitionDifferences,
  factoryMetaEqual,
  itemDifferences,
  keyed,
  shapeText,
  variableMetaEqual,
  variableValuesEqual,
} from '../signature.js';

/** Iris's `_CubeSignature.match` then `_CoordSignature.match`: the reasons `b` cannot join a merge with `a`. */
export async function mergeDifferences(a: Cube, b: Cube): Promise<string[]> {
  const msgs = definitionDifferences(a, b);
  if (a.shape.join() !== b.shape.join()) msgs.push(`cube.shape differs: ${shapeText(a.shape)} != ${shapeText(b.shape)}`);
  else if (a.dims.join('\0') !== b.dims.join('\0')) msgs.push(`cube.dims differ: (${a.dims.join(', ')}) != (${b.dims.join(', ')})`);
  if (a.dtype !== b.dtype) msgs.push(`cube data dtype differs: ${a.dtype} != ${b.dtype}`);
  const pa = a.parts();
  const pb = b.parts();
  if ((await itemDifferences(keyed(pa.cellMeasures), keyed(pb.cellMeasures), variableMetaEqual, variableValuesEqual)).length > 0) {
    msgs.push('cube.cell_measures differ');
  }
  if ((await itemDifferences(keyed(pa.ancillaryVariables), keyed(pb.ancillaryVariables), variableMetaEqual, variableValuesEqual)).length > 0) {
    msgs.push('cube.ancillary_variables differ');
  }
  if (msgs.length > 0) return msgs;

  const split = (p: CubeParts, scalar: boolean) =>
    keyed(p.auxCoords).filter((e) => (e.dims.length === 0) === scalar);
  const dims = (p: CubeParts) => [...p.dimCoords].map(([key, item]) => ({ key, item: item as Coord, dims: [key] }));
  const factories = (p: CubeParts) => [...p.factories].map(([key, item]) => ({ key, item, dims: [] as string[] }));
  const report = (where: string, names: string[]) => names.length > 0 && msgs.push(`Coordinates in ${where} differ: ${names.join(', ')}.`);
  report('cube.aux_coords (scalar)', await itemDifferences(split(pa, true), split(pb, true), coordMetaEqual));
  report('cube.dim_coords', await itemDifferences(dims(pa), dims(pb), coordMetaEqual, coordValuesEqual));
  report('cube.aux_coords (non-scalar)', await itemDifferences(split(pa, false), split(pb, false), coordMetaEqual, coordValuesEqual));
  report('cube.aux_factories', await itemDifferences(factories(pa), factories(pb), factoryMetaEqual));
  return msgs;
}

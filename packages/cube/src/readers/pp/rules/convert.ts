import type { SourceArray } from '@cubemark/format';
import { isStandardName } from '../../../cf/standard-names.js';
import { isValidUnits } from '../../../cf/udunits.js';
import { LazyArrayBase } from '../../../lazy/view.js';
import type { ArrayResult } from '../../../lazy/types.js';
import { DimCoord, type Coord } from '../../../model/coords.js';
import { Cube } from '../../../model/cube.js';
import { DescribedArray } from '../../../model/described-array.js';
import { PpError } from '../errors.js';
import type { PPField } from '../field.js';
import { makeCoord, type CoordSpec } from './coords.js';
import { gridCoords } from './grid.js';
import { phenomenon, seasonCoords, stashText } from './phenomenon.js';
import { timeCoords } from './time.js';
import { KNOWN_LBVC, memberAndPseudoLevel, verticalCoords, type FactorySpec } from './vertical.js';

/** The fields a cube's data come from are written into its description only after merging (`describe.ts`). */
export const FIELD_OPTION = 'pp_field';

/** A field's data while its cube is being built: never read (loading reads headers only). */
class FieldPlaceholder extends LazyArrayBase {
  readonly chunks: readonly number[];
  constructor(
    readonly shape: readonly number[],
    readonly dtype: SourceArray['dtype'],
    private readonly uri: string,
    private readonly field: number,
  ) {
    super();
    this.chunks = shape;
  }
  readSelection(): Promise<ArrayResult> {
    return Promise.reject(new PpError('PP_NOT_OPEN', this.uri, { field: this.field }, 'a field is not read while its cube is loaded; open the publication to read it'));
  }
}

export interface FieldNote {
  word: string;
  message: string;
}

/** One field as a cube, with what it needs from or gives to other fields (Iris's `ConversionMetadata`). */
export interface FieldCube {
  field: PPField;
  /** The field's position among the file's indexed fields. */
  key: number;
  cube: Cube;
  factories: FactorySpec[];
  /** The reference this field provides: orography (m01s00i033) or surface pressure (m01s00i001, m01s00i409). */
  reference?: 'orography' | 'surface_air_pressure';
  /** What Iris would warn about or leave out (no coordinate where the rules wanted one, invalid units, an LBVC
   * without rules), with the header word concerned. */
  notes: FieldNote[];
}

/**
 * The description of one field's data until merging replaces it with the cube's fields; `key` is the field's
 * position among the file's indexed fields (a boundary file's lookup entry gives several fields).
 */
export function fieldDescription(field: PPField, key: number): SourceArray {
  return {
    kind: 'source',
    dtype: field.dtype,
    shape: [field.header.lbrow, field.header.lbnpt],
    source: 0,
    format: 'pp',
    variable: stashText(field.header),
    options: { [FIELD_OPTION]: key },
  };
}

/** A described array of one field's data (in the file `uri`), read by nothing until the publication is opened. */
export function fieldData(field: PPField, uri: string, key: number): DescribedArray {
  const ref = fieldDescription(field, key);
  return new DescribedArray(new FieldPlaceholder(ref.shape, ref.dtype, uri, field.index), () => ({ data: ref, sources: [uri] }));
}

function key(coord: Coord, taken: Set<string>): string {
  let k = coord.name();
  for (let i = 1; taken.has(k); i++) k = `${coord.name()}_${i}`;
  taken.add(k);
  return k;
}

/**
 * Iris's `pp_load_rules.convert` and `rules._make_cube` for one field: a 2-D cube (rows × points) with its
 * horizontal dimension coordinates, scalar time, vertical, ensemble and pseudo-level coordinates, names, units,
 * attributes and cell methods.
 */
export function convertField(field: PPField, uri: string, position: number = field.index): FieldCube {
  const h = field.header;
  const headerReal = field.headerReal;
  const notes: FieldNote[] = [];
  const scalars: CoordSpec[] = [...timeCoords(h)];
  const vertical = verticalCoords(h, headerReal);
  scalars.push(...vertical.coords, ...memberAndPseudoLevel(h), ...seasonCoords(h));
  if (!KNOWN_LBVC.has(h.lbvc)) notes.push({ word: 'lbvc', message: `LBVC ${h.lbvc} is not supported: the field loads without a vertical coordinate` });
  const grid = gridCoords(field, headerReal);
  notes.push(...grid.problems.map((message) => ({ word: 'lbcode', message })));
  const p = phenomenon(h);
  scalars.push(...grid.scalars);

  const xCoord = grid.x && makeCoord(zonalBounds(grid.x, p.zonal));
  const yCoord = grid.y && makeCoord(grid.y);
  // A dimension is named for its dimension coordinate; one without (or with an auxiliary one) is dim0 or dim1.
  const isDim = (c: Coord | undefined, n: number): boolean => c instanceof DimCoord && c.shape[0] === n;
  const yDim = yCoord && isDim(yCoord, h.lbrow) ? yCoord.name() : 'dim0';
  let xDim = xCoord && isDim(xCoord, h.lbnpt) ? xCoord.name() : 'dim1';
  if (xDim === yDim) xDim = `${xDim}_1`;
  const taken = new Set([yDim, xDim]);
  const attributes = { ...p.attributes };
  let units = p.units;
  if (units !== undefined && !isValidUnits(units)) {
    notes.push({ word: 'lbuser4', message: `Ignoring PP invalid units '${units}'` });
    attributes.invalid_units = units;
    units = undefined;
  }
  let standardName: string | undefined;
  let longName = p.longName;
  if (p.standardName !== undefined) {
    if (isStandardName(p.standardName)) standardName = p.standardName;
    else longName ??= p.standardName;
  }
  const cube = new Cube(fieldData(field, uri, position), {
    ...(standardName !== undefined && { standardName }),
    ...(longName !== undefined && { longName }),
    ...(units !== undefined && { units }),
    dims: [yDim, xDim],
    attributes,
    cellMethods: p.cellMethods,
  });
  for (const [coord, dim, n] of [[yCoord, yDim, h.lbrow], [xCoord, xDim, h.lbnpt]] as const) {
    if (!coord) continue;
    if (coord instanceof DimCoord && isDim(coord, n)) cube.addDimCoord(coord, dim);
    else if (coord.shape[0] === n) cube.addAuxCoord(coord, [dim], key(coord, taken));
    else notes.push({ word: 'lbext', message: `the ${coord.name()} coordinate has ${coord.shape[0]} points but the field ${n}; it is left out` });
  }
  for (const { spec, axis } of grid.onAxis) {
    const coord = makeCoord(spec);
    const dim = axis === 0 ? yDim : xDim;
    if (coord.shape[0] === cube.shape[axis]) cube.addAuxCoord(coord, [dim], key(coord, taken));
  }
  for (const spec of scalars) {
    const coord = makeCoord(spec);
    cube.addAuxCoord(coord, [], key(coord, taken));
  }
  const reference =
    h.lbuser(4) === 33 ? ('orography' as const) : h.lbuser(4) === 409 || h.lbuser(4) === 1 ? ('surface_air_pressure' as const) : undefined;
  return { field, key: position, cube, factories: vertical.factories, ...(reference && { reference }), notes };
}

/** A zonal mean's longitude spans the whole circle: [0, 360] for a single point, else guessed bounds (Iris). */
function zonalBounds(x: CoordSpec, zonal: string | undefined): CoordSpec {
  if (zonal === undefined || x.standardName !== zonal) return x;
  const n = x.points.length;
  if (n === 1) return { ...x, bounds: Float32Array.of(0, 360) };
  const pts = Array.from(x.points as ArrayLike<number>);
  const bounds = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const lo = i === 0 ? pts[0] - (pts[1] - pts[0]) / 2 : (pts[i - 1] + pts[i]) / 2;
    const hi = i === n - 1 ? pts[n - 1] + (pts[n - 1] - pts[n - 2]) / 2 : (pts[i] + pts[i + 1]) / 2;
    bounds[2 * i] = lo;
    bounds[2 * i + 1] = hi;
  }
  return { ...x, bounds: x.dtype === 'float32' ? Float32Array.from(bounds) : bounds };
}

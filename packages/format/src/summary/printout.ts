import type { CubeMeta, Mesh } from '../model/types.js';
import { digestCube, type CubeDigest } from './digest.js';
import { ljust } from './python-text.js';
import { columnWidths, formatTable, type Align, type TableRow } from './table.js';

/** Options of the cube printouts. */
export interface CubeSummaryOptions {
  /** Minimum width of the `name / (units)` column, where the dimension header starts (default: 35, as Iris). */
  namePadding?: number;
  /**
   * Keep the column widths from the header and the vector rows only (default: false, as Iris): a scalar
   * coordinate, cell method or attribute whose name is longer than the name column pushes only its own value to
   * the right instead of widening the column for every row. The generated section of a file uses this, so that one
   * change there is one changed line.
   */
  stableWidths?: boolean;
  /** The publication's meshes, for cubes on a mesh (their mesh coordinates and `Mesh:` section). */
  meshes?: Readonly<Record<string, Mesh>>;
}

const SECTION_INDENT = ' '.repeat(4);
const ITEM_INDENT = SECTION_INDENT + ' '.repeat(4);
const EXTRA_INDENT = ' '.repeat(4);

/** Iris's `CubePrinter._ingest_summary`: the digest as table rows, the header row first and undecorated. */
function tableOf(digest: CubeDigest, stableWidths = false): TableRow[] {
  const header = [digest.nameUnit];
  if (digest.scalar) header.push('(scalar cube)');
  else digest.dimNames.forEach((name, i) => header.push(`${name}:`, String(digest.shape[i])));
  const nCols = header.length;
  const scalarAligns: Align[] = Array(nCols).fill('left');
  const vectorAligns: Align[] = digest.scalar
    ? ['left', 'left']
    : ['left', ...digest.dimNames.flatMap((): Align[] => ['right', 'left'])];

  const rows: TableRow[] = [];
  const addRow = (cols: string[], scalar = false): void => {
    const filled = [...cols, ...Array<string>(Math.max(0, nCols - cols.length)).fill(' ')];
    rows.push({ cols: filled, aligns: scalar ? scalarAligns : vectorAligns, unlimitedFrom: scalar ? (stableWidths ? 0 : 1) : undefined });
  };
  const addScalarRow = (name: string, value = ''): void => addRow([ITEM_INDENT + name, value], true);

  addRow(header);
  for (const section of digest.vectorSections) {
    if (section.items.length === 0) continue;
    addRow([SECTION_INDENT + section.title]);
    for (const item of section.items) {
      addRow([ITEM_INDENT + item.name, ...item.dimChars.flatMap((c) => [c, ''])]);
      if (item.extra) addRow([ITEM_INDENT + EXTRA_INDENT + item.extra]);
    }
  }
  for (const section of digest.scalarSections) {
    const empty =
      section.kind === 'coords' ? section.items.length === 0 : section.kind === 'names' ? section.names.length === 0 : section.pairs.length === 0;
    if (empty) continue;
    addRow([SECTION_INDENT + section.title]);
    if (section.kind === 'coords') {
      for (const item of section.items) {
        addScalarRow(item.name, item.content);
        if (item.extra) addScalarRow(EXTRA_INDENT + item.extra);
      }
    } else if (section.kind === 'names') {
      for (const name of section.names) addScalarRow(name);
    } else {
      for (const [name, value] of section.pairs) addScalarRow(name, value);
    }
  }
  return rows;
}

/** Iris's `CubePrinter._decorated_table`: pad the name, bracket the dimensions and separate them with `;`. */
function decorate(rows: readonly TableRow[], namePadding: number): TableRow[] {
  const cols = [...rows[0].cols];
  cols[0] = ljust(cols[0], namePadding);
  if (cols.length > 1 && !cols[1].startsWith('(')) {
    cols[1] = `(${cols[1]}`;
    cols[cols.length - 1] = `${cols[cols.length - 1]})`;
  }
  for (let i = 2; i < cols.length - 1; i += 2) cols[i] += ';';
  return [{ ...rows[0], cols }, ...rows.slice(1)];
}

/**
 * The cube as Iris's `print(cube)` shows it: the `name / (units)` header with the dimensions, then the sections
 * (dimension, auxiliary and derived coordinates, cell measures, ancillary variables with an `x` under each
 * dimension spanned; scalar coordinates, cell methods and attributes with their values).
 *
 * Values come from inline arrays; a coordinate whose points are not inline prints `<lazy>`, as Iris prints lazy
 * points, and a scalar derived coordinate always prints `<lazy>` (formulas are not evaluated).
 */
export function cubeSummary(cube: CubeMeta, options: CubeSummaryOptions = {}): string {
  const rows = decorate(tableOf(digestCube(cube, options.meshes), options.stableWidths), options.namePadding ?? 35);
  return formatTable(rows, columnWidths(rows)).join('\n');
}

/** Iris's `cube.summary(shorten=True)`: the header line alone, at its narrowest. */
export function cubeShortSummary(cube: CubeMeta, options: CubeSummaryOptions = {}): string {
  const [header] = tableOf(digestCube(cube, options.meshes));
  const rows = decorate([header], options.namePadding ?? 35);
  return formatTable(rows)[0];
}

/** Iris's `print(cubelist)`: `0: air_temperature / (K)   (time: 5; ...)` per cube, or `< No cubes >`. */
export function cubeListSummary(cubes: readonly CubeMeta[]): string {
  if (cubes.length === 0) return '< No cubes >';
  return cubes.map((cube, i) => `${i}: ${cubeShortSummary(cube)}`).join('\n');
}

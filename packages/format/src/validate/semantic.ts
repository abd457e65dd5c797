import { FACTORY_TERMS, type ArrayData, type CubeMeta, type FactoryKind, type Publication } from '../model/types.js';
import type { ErrorCode } from '../errors/codes.js';
import { isValidCalendar, timeReferenceProblem } from '../time/index.js';
import { UNDECODED } from '../compose/values.js';
import { checkInlineValues } from './inline.js';
import { checkCubeMesh, checkMeshes } from './mesh.js';

export interface SemanticProblem {
  code: ErrorCode;
  message: string;
  pointer: string;
  key: boolean;
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * What the schema cannot say: references resolve (dimensions, coordinates, coordinate systems, sources, factory
 * terms), shapes agree, dimension coordinates are strictly monotonic, calendars are CF calendars on time units.
 */
export function checkSemantics(pub: Publication): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const report = (code: ErrorCode, message: string, pointer: string, key = false) => problems.push({ code, message, pointer, key });

  const checkData = (data: ArrayData, at: string): void => {
    if (data.kind === 'source') {
      if (data.source >= pub.sources.length) {
        report('UNKNOWN_SOURCE', `source ${data.source} does not exist: the publication lists ${pub.sources.length} source${pub.sources.length === 1 ? '' : 's'}`, `${at}/source`);
      }
      checkInlineValues(data, at, report);
      if (data.chunks && data.chunks.length !== data.shape.length) {
        report('SHAPE_MISMATCH', `chunks [${data.chunks.join(', ')}] have ${data.chunks.length} axes but the array has ${data.shape.length}`, `${at}/chunks`);
      }
    } else if (data.kind === 'combined') {
      if (data.axis >= data.shape.length) report('SHAPE_MISMATCH', `axis ${data.axis} is beyond the array's ${data.shape.length} axes`, `${at}/axis`);
      data.parts.forEach((p, i) => checkData(p, `${at}/parts/${i}`));
      if (data.mode === 'concat') {
        // A part without a shape is already reported (REQUIRED): neither it nor the sum can be checked.
        data.parts.forEach((p, i) => {
          const other = (s: number[]) => s.filter((_, j) => j !== data.axis).join(', ');
          if (!UNDECODED.has(p) && (p.shape.length !== data.shape.length || other(p.shape) !== other(data.shape))) {
            report('SHAPE_MISMATCH', `part ${i} has shape [${p.shape.join(', ')}], which does not fit [${data.shape.join(', ')}] off axis ${data.axis}`, `${at}/parts/${i}`);
          }
        });
        const total = data.parts.reduce((n, p) => n + (p.shape[data.axis] ?? 0), 0);
        if (!data.parts.some((p) => UNDECODED.has(p)) && total !== data.shape[data.axis]) {
          report('SHAPE_MISMATCH', `parts add up to ${total} along axis ${data.axis} but the array has ${data.shape[data.axis]}`, at);
        }
      } else if (data.parts.length !== data.shape[data.axis]) {
        report('SHAPE_MISMATCH', `${data.parts.length} stacked parts but the array has ${data.shape[data.axis]} along axis ${data.axis}`, at);
      }
    }
  };

  const checkCalendar = (units: string, calendar: string | undefined, at: string): void => {
    if (calendar === undefined) return;
    if (!isValidCalendar(calendar)) {
      report('INVALID_CALENDAR', `calendar '${calendar}' is not a CF calendar (standard, gregorian, proleptic_gregorian, noleap, 365_day, all_leap, 366_day, 360_day, julian, none)`, `${at}/calendar`);
    } else {
      const key = `${calendar}\u0000${units}`;
      let problem = timeReferenceProblems.get(key);
      if (problem === undefined) {
        problem = timeReferenceProblem(units, calendar) ?? '';
        if (timeReferenceProblems.size >= 1024) timeReferenceProblems.clear();
        timeReferenceProblems.set(key, problem);
      }
      if (problem) report('INVALID_TIME_UNITS', `a calendar needs time units '<unit> since <date>' with a date of the calendar; '${units}': ${problem}`, `${at}/units`);
    }
  };

  for (const [k, cs] of Object.entries(pub.coord_systems)) {
    // Iris's Mercator, Stereographic and PolarStereographic refuse both: each fixes the scale a different way.
    const both = cs as { standard_parallel?: unknown; scale_factor_at_projection_origin?: unknown };
    if (both.standard_parallel !== undefined && both.scale_factor_at_projection_origin !== undefined) {
      report(
        'CONFLICTING_KEYS',
        `coordinate system '${k}' (${cs.kind}) gives both 'standard_parallel' and 'scale_factor_at_projection_origin': keep one (each sets the scale)`,
        `/coord_systems/${esc(k)}/scale_factor_at_projection_origin`,
        true,
      );
    }
  }

  checkMeshes(pub, report, checkData);
  pub.cubes.forEach((cube, i) => checkCube(cube, `/cubes/${i}`));

  function checkCube(cube: CubeMeta, at: string): void {
    const dims = new Set<string>();
    cube.dims.forEach((d, i) => {
      if (dims.has(d)) report('DUPLICATE_DIM', `dimension '${d}' is listed twice`, `${at}/dims/${i}`);
      dims.add(d);
    });
    if (cube.dims.length !== cube.shape.length) {
      report('SHAPE_MISMATCH', `${cube.dims.length} dims but a shape of ${cube.shape.length} axes`, `${at}/shape`);
    }
    checkCalendar(cube.units, cube.calendar, at);
    if (cube.data.kind !== 'inline' && cube.data.shape.join() !== cube.shape.join()) {
      report('SHAPE_MISMATCH', `data shape [${cube.data.shape.join(', ')}] differs from the cube's [${cube.shape.join(', ')}]`, `${at}/data`);
    }
    checkData(cube.data, `${at}/data`);
    checkCubeMesh(pub, cube, at, report);

    const coordKeys = new Set<string>();
    for (const [k, c] of Object.entries(cube.dim_coords)) {
      const p = `${at}/dim_coords/${esc(k)}`;
      coordKeys.add(k);
      if (!dims.has(k)) {
        report('UNKNOWN_DIM', `dimension coordinate '${k}' names no dimension of the cube (dims: ${cube.dims.join(', ')})`, p, true);
        continue;
      }
      checkCalendar(c.units, c.calendar, p);
      checkData(c.points, `${p}/points`);
      if (c.bounds) checkData(c.bounds, `${p}/bounds`);
      if (c.points.kind === 'regular' && c.points.shape.length !== 1) {
        report('SHAPE_MISMATCH', `dimension coordinate '${k}' must be one-dimensional`, `${p}/points`);
      } else if (c.points.kind === 'regular' && c.points.step === 0 && (c.points.shape[0] ?? 0) > 1) {
        report('NOT_MONOTONIC', `dimension coordinate '${k}' has step 0, so it is not strictly monotonic`, `${p}/points`);
      }
      if (c.points.kind === 'inline' && !UNDECODED.has(c.points)) {
        if (c.points.dtype === 'string') {
          report('TYPE', `dimension coordinate '${k}' must be numeric: make it an auxiliary coordinate`, `${p}/points`);
        } else if (!strictlyMonotonic(c.points.values as ArrayLike<number | bigint>)) {
          report('NOT_MONOTONIC', `dimension coordinate '${k}' is not strictly monotonic: make it an auxiliary coordinate`, `${p}/points`);
        }
      }
      if (c.coord_system !== undefined && !Object.hasOwn(pub.coord_systems, c.coord_system)) {
        report('UNKNOWN_COORD_SYSTEM', `coordinate system '${c.coord_system}' is not defined in coord_systems`, `${p}/coord_system`);
      }
    }
    for (const [k, c] of Object.entries(cube.aux_coords)) {
      const p = `${at}/aux_coords/${esc(k)}`;
      if (coordKeys.has(k)) report('DUPLICATE_COORD', `'${k}' is both a dimension and an auxiliary coordinate key`, p, true);
      coordKeys.add(k);
      c.dims.forEach((d, j) => {
        if (!dims.has(d)) report('UNKNOWN_DIM', `coordinate '${k}' spans '${d}', which is not a dimension of the cube`, `${p}/dims/${j}`);
        else if (c.dims.indexOf(d) !== j) report('DUPLICATE_DIM', `coordinate '${k}' spans '${d}' twice`, `${p}/dims/${j}`);
      });
      checkCalendar(c.units, c.calendar, p);
      checkData(c.points, `${p}/points`);
      if (c.bounds) checkData(c.bounds, `${p}/bounds`);
      if (c.coord_system !== undefined && !Object.hasOwn(pub.coord_systems, c.coord_system)) {
        report('UNKNOWN_COORD_SYSTEM', `coordinate system '${c.coord_system}' is not defined in coord_systems`, `${p}/coord_system`);
      }
    }
    for (const [k, f] of Object.entries(cube.derived_coords)) {
      const p = `${at}/derived_coords/${esc(k)}`;
      if (coordKeys.has(k)) report('DUPLICATE_COORD', `'${k}' is already a coordinate key`, p, true);
      const spec = FACTORY_TERMS[f.formula as FactoryKind];
      for (const term of spec.required) {
        if (!Object.hasOwn(f.terms, term)) report('MISSING_TERM', `derived coordinate '${k}' (${f.formula}) needs term '${term}'`, `${p}/terms`);
      }
      for (const [term, ref] of Object.entries(f.terms)) {
        if (!spec.required.includes(term) && !spec.optional.includes(term)) {
          report('UNKNOWN_TERM', `${f.formula} takes no term '${term}' (terms: ${[...spec.required, ...spec.optional].join(', ')})`, `${p}/terms/${esc(term)}`, true);
        } else if (!coordKeys.has(ref)) {
          report('UNKNOWN_COORD', `term '${term}' names coordinate '${ref}', which the cube does not have`, `${p}/terms/${esc(term)}`);
        }
      }
      if (f.coord_system !== undefined && !Object.hasOwn(pub.coord_systems, f.coord_system)) {
        report('UNKNOWN_COORD_SYSTEM', `coordinate system '${f.coord_system}' is not defined in coord_systems`, `${p}/coord_system`);
      }
    }
    for (const section of ['cell_measures', 'ancillary_variables'] as const) {
      for (const [k, m] of Object.entries(cube[section])) {
        const p = `${at}/${section}/${esc(k)}`;
        m.dims.forEach((d, j) => {
          if (!dims.has(d)) report('UNKNOWN_DIM', `'${k}' spans '${d}', which is not a dimension of the cube`, `${p}/dims/${j}`);
          else if (m.dims.indexOf(d) !== j) report('DUPLICATE_DIM', `'${k}' spans '${d}' twice`, `${p}/dims/${j}`);
        });
        checkData(m.data, `${p}/data`);
      }
    }
  }

  return problems;
}

/** What `timeReferenceProblem` said of units in a calendar (`''`: nothing): a store repeats a few units everywhere. */
const timeReferenceProblems = new Map<string, string>();

function strictlyMonotonic(v: ArrayLike<number | bigint>): boolean {
  if (v.length < 2) return v.length === 0 || v[0] === v[0];
  const up = v[1]! > v[0]!;
  for (let i = 1; i < v.length; i++) {
    const a = v[i - 1]!;
    const b = v[i]!;
    if (up ? !(b > a) : !(b < a)) return false;
  }
  return true;
}

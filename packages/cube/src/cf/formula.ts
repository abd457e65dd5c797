import type { ArrayData, ArrayValues, Coord, DerivedCoord, FactoryKind } from '@cubemark/format';
import { CF_FORMULAS, FACTORY_TERMS, regularValues } from '@cubemark/format';
import type { DatasetVariable } from '../readers/dataset.js';
import { textAttribute } from './units.js';
import { plainArray } from './values.js';
import type { WarningLog } from './warnings.js';

/** A coordinate the loader built for a cube: its key there and the netCDF variable it came from. */
export interface BuiltCoord {
  key: string;
  variable: string;
  coord: Coord;
}

interface Formula {
  kind: FactoryKind;
  /** Factory argument → CF formula term, lower case (classify lowercases formula_terms names: CF's `C` is `c`). */
  terms: Record<string, string>;
  standard_name: string;
  positiveUp: boolean;
  /** The argument whose units the derived coordinate takes (the first one present). */
  units: string[];
}

/** What Iris derives from each formula: the derived coordinate's standard_name, direction and the source of its units. */
const DERIVED: Readonly<Record<FactoryKind, Omit<Formula, 'kind' | 'terms'>>> = {
  hybrid_height: { standard_name: 'altitude', positiveUp: true, units: ['delta', 'orography'] },
  hybrid_pressure: { standard_name: 'air_pressure', positiveUp: false, units: ['delta', 'surface_air_pressure'] },
  atmosphere_sigma: { standard_name: 'air_pressure', positiveUp: false, units: ['pressure_at_top'] },
  ocean_sigma_z: { standard_name: 'sea_surface_height_above_reference_ellipsoid', positiveUp: true, units: ['zlev'] },
  ocean_sigma: { standard_name: 'sea_surface_height_above_reference_ellipsoid', positiveUp: true, units: ['depth'] },
  ocean_s: { standard_name: 'sea_surface_height_above_reference_ellipsoid', positiveUp: true, units: ['depth'] },
  ocean_s_g1: { standard_name: 'sea_surface_height_above_reference_ellipsoid', positiveUp: true, units: ['depth'] },
  ocean_s_g2: { standard_name: 'sea_surface_height_above_reference_ellipsoid', positiveUp: true, units: ['depth'] },
};

/** The dimensionless vertical coordinates Iris derives (`_load_aux_factory`), by the formula root's standard_name. */
const FORMULAS: Readonly<Record<string, Formula>> = Object.fromEntries(
  (Object.entries(CF_FORMULAS) as [FactoryKind, (typeof CF_FORMULAS)[FactoryKind]][]).map(([kind, cf]) => [
    cf.standard_name,
    { kind, terms: Object.fromEntries(Object.entries(cf.terms).map(([arg, term]) => [arg, term.toLowerCase()])), ...DERIVED[kind] },
  ]),
);

/** Formula types Iris recognises as roots (its `reference_terms`), including ones it derives nothing from. */
const RECOGNISED = new Set([...Object.keys(FORMULAS), 'atmosphere_sleve_coordinate']);

function valuesOf(data: ArrayData): ArrayValues | undefined {
  if (data.kind === 'inline') return data.values;
  if (data.kind === 'regular') return regularValues(data);
  return undefined;
}

/** `a * p0`: Iris's stand-in for the `ap` term of a hybrid pressure formula given as `p0` and `a`. */
function vertexPressure(a: BuiltCoord, p0: BuiltCoord, cube: string, log: WarningLog): BuiltCoord | undefined {
  const p0Values = valuesOf(p0.coord.points);
  const aValues = valuesOf(a.coord.points);
  if (!p0Values || p0Values.length !== 1 || !aValues) {
    log.add('CF_FORMULA_TERMS', `Expecting '${p0.variable}' to be a scalar reference pressure coordinate with values in the document.`, cube);
    return undefined;
  }
  const scale = Number(p0Values[0]);
  const times = (values: ArrayValues) => Float64Array.from(values as ArrayLike<number>, (v) => Number(v) * scale);
  const aUnits = a.coord.units === 'unknown' ? '1' : a.coord.units;
  const coord: Coord = {
    long_name: 'vertical pressure',
    var_name: 'ap',
    units: aUnits === '1' ? p0.coord.units : `${aUnits} ${p0.coord.units}`,
    dims: [...a.coord.dims],
    points: plainArray('float64', [...a.coord.points.shape], times(aValues)),
    attributes: {},
  };
  const bounds = a.coord.bounds && valuesOf(a.coord.bounds);
  if (a.coord.bounds && bounds) coord.bounds = plainArray('float64', [...a.coord.bounds.shape], times(bounds));
  return { key: 'ap', variable: 'ap', coord };
}

/**
 * The derived coordinate of a cube's formula terms, as Iris's `_load_aux_factory` makes its aux factory: the last
 * recognised formula root wins (with a warning when there are several); each factory argument names the cube
 * coordinate built from the variable given for its term. Hybrid pressure given as `p0` and `a` adds an `ap`
 * coordinate (`extra`), as Iris does.
 */
export function derivedCoord(
  cube: string,
  roots: DatasetVariable[],
  terms: Record<string, string>,
  built: BuiltCoord[],
  log: WarningLog,
): { key: string; coord: DerivedCoord; extra?: BuiltCoord } | undefined {
  let type: string | undefined;
  for (const root of roots) {
    const name = textAttribute(root.attributes, 'standard_name');
    if (name === undefined || !RECOGNISED.has(name)) {
      log.add('CF_FORMULA_TERMS', `Ignored formula of unrecognised type: '${name}'.`, root.name);
      continue;
    }
    if (type !== undefined) {
      log.add(
        'CF_FORMULA_TERMS',
        `Omitting factories for some hybrid coordinates, as multiple hybrid coordinates on a single variable are not supported: Formula of type ='${name}' overrides another of type ='${type}'.`,
        cube,
      );
    }
    type = name;
  }
  const formula = type === undefined ? undefined : FORMULAS[type];
  if (!formula) return undefined;

  const coordOf = (term: string): BuiltCoord | undefined => {
    const variable = terms[term];
    if (variable === undefined) return undefined;
    const found = built.find((b) => b.variable === variable);
    if (!found) log.add('CF_FORMULA_TERMS', `Unable to find coordinate for variable '${variable}'`, cube);
    return found;
  };
  const args: Record<string, BuiltCoord> = {};
  for (const [arg, term] of Object.entries(formula.terms)) {
    const found = coordOf(term);
    if (found) args[arg] = found;
  }
  let extra: BuiltCoord | undefined;
  if (formula.kind === 'hybrid_pressure' && !args.delta) {
    const p0 = coordOf('p0');
    const a = coordOf('a');
    if (p0 && a) {
      extra = vertexPressure(a, p0, cube, log);
      if (extra) args.delta = extra;
    }
  }
  const missing = FACTORY_TERMS[formula.kind].required.filter((arg) => !args[arg]);
  if (missing.length > 0) {
    log.add('CF_FORMULA_TERMS', `No ${formula.standard_name} coordinate derived for '${cube}' (${type}): no coordinate for ${missing.join(', ')}.`, cube);
    return undefined;
  }
  const unitsFrom = formula.units.map((arg) => args[arg]).find((b) => b !== undefined);
  const coord: DerivedCoord = {
    standard_name: formula.standard_name,
    formula: formula.kind,
    units: unitsFrom?.coord.units ?? 'unknown',
    terms: Object.fromEntries(Object.entries(args).map(([arg, b]) => [arg, b.key])),
    attributes: formula.positiveUp ? { positive: 'up' } : {},
  };
  return { key: formula.standard_name, coord, ...(extra && { extra }) };
}

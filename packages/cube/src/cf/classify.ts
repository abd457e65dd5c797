import type { Dataset, DatasetVariable } from '../readers/dataset.js';
import { parseGridMapping } from './coord-systems.js';
import { labelSpans } from './labels.js';
import { textAttribute } from './units.js';
import { identifyUgrid, type UgridVariables } from './ugrid/identify.js';
import type { WarningLog } from './warnings.js';

/**
 * Which netCDF variables are what, as Iris's `iris.fileformats.cf.CFReader` decides (CF-UGRID aside): coordinate
 * variables, then the variables other variables name in their `ancillary_variables`, `coordinates`, `bounds`,
 * `climatology`, `grid_mapping` and `cell_measures` attributes (a later kind in that order wins), formula terms,
 * and, left over, the data variables. Then, for every variable, the group of variables it refers to that span no
 * dimension it lacks; those that do are ignored there (with a warning) and loaded as cubes of their own
 * ("promoted"), as are the reference surfaces of dimensionless vertical coordinates (orography, surface pressure).
 */

export type CfRole =
  | 'coordinate'
  | 'auxiliary_coordinate'
  | 'label'
  | 'bounds'
  | 'climatology'
  | 'grid_mapping'
  | 'cell_measure'
  | 'ancillary_variable'
  | 'mesh_connectivity'
  | 'mesh_coordinate'
  | 'mesh'
  | 'data';

/** What a variable refers to, by the role each referred variable has in the file. */
export interface CfGroup {
  /** Names in the order Iris adds them (it builds coordinates in this order). */
  members: string[];
}

export interface CfClassification {
  roles: ReadonlyMap<string, CfRole>;
  /** Cell measure variable → `area` or `volume`. */
  measures: ReadonlyMap<string, string>;
  /** Formula term variable → (formula root variable → term name). */
  formulaTerms: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Variable → its parsed `grid_mapping` (coordinate or `null` → grid mapping variable). */
  gridMappings: ReadonlyMap<string, ReadonlyMap<string | null, string>>;
  groups: ReadonlyMap<string, CfGroup>;
  /** The variables that become cubes, in load order: data variables in file order, then promoted ones. */
  cubeVariables: string[];
  promoted: ReadonlySet<string>;
  /** The file's UGRID mesh parts, when it has meshes. */
  ugrid?: UgridVariables;
}

/** Iris's `reference_terms`: formula terms that are reference surfaces, loaded as cubes of their own. */
const REFERENCE_TERMS: Readonly<Record<string, readonly string[]>> = {
  atmosphere_sigma_coordinate: ['ps'],
  atmosphere_hybrid_sigma_pressure_coordinate: ['ps'],
  atmosphere_hybrid_height_coordinate: ['orog'],
  atmosphere_sleve_coordinate: ['zsurf1', 'zsurf2'],
  ocean_sigma_coordinate: ['eta', 'depth'],
  ocean_s_coordinate: ['eta', 'depth'],
  ocean_sigma_z_coordinate: ['eta', 'depth'],
  ocean_s_coordinate_g1: ['eta', 'depth'],
  ocean_s_coordinate_g2: ['eta', 'depth'],
};

/** `name: variable` pairs, as Iris's `_CF_PARSE` (formula_terms, cell_measures). */
export function parsePairs(text: string): [string, string][] {
  return [...text.matchAll(/\s*(\w+)\s*:\s*(\w+)\s*/g)].map((m) => [m[1], m[2]]);
}

const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((w) => w !== '');

type SpanRule = 'plain' | 'vertex' | 'label';

/**
 * Iris's `CFVariable.spans`: a variable's dimensions are all the target's (bounds ignore their vertex axis, labels
 * their string length, first or last).
 */
function spans(variable: DatasetVariable, target: DatasetVariable, rule: SpanRule): boolean {
  if (rule === 'label') return labelSpans(variable, target);
  const inTarget = (dims: string[]): boolean => dims.every((d) => target.dims.includes(d));
  if (rule === 'plain' || variable.dims.length === 0) return inTarget(variable.dims);
  return inTarget(variable.dims.slice(0, -1)) || inTarget(variable.dims.slice(1));
}

interface Reference {
  name: string;
  role: CfRole;
  rule: SpanRule;
}

export function classify(dataset: Dataset, log: WarningLog): CfClassification {
  const vars = dataset.variables;
  const order = [...vars.keys()];
  const roles = new Map<string, CfRole>();
  const measures = new Map<string, string>();
  const gridMappings = new Map<string, Map<string | null, string>>();

  for (const v of vars.values()) {
    const text = textAttribute(v.attributes, 'grid_mapping');
    if (!text) continue;
    const parsed = parseGridMapping(text);
    if (parsed) gridMappings.set(v.name, parsed);
    else log.add('CF_GRID_MAPPING', `Error parsing \`grid_mapping\` attribute for ${v.name}: '${text}'`, v.name);
  }

  const isCoordinateVariable = (v: DatasetVariable): boolean => v.dtype !== 'string' && v.dims.length === 1 && v.dims[0] === v.name;
  for (const v of vars.values()) if (isCoordinateVariable(v)) roles.set(v.name, 'coordinate');
  const coordinateNames = new Set([...roles.keys()]);
  const ugrid = identifyUgrid(dataset, coordinateNames, log);
  const meshNames = new Set(ugrid?.meshes ?? []);

  /** The variables `target` refers to, by kind, in Iris's order of kinds; `warn` reports missing ones. */
  const references = (target: DatasetVariable, warn: boolean): Reference[] => {
    const out: Reference[] = [];
    const a = target.attributes;
    const missing = (kind: string, name: string): void => {
      if (warn) log.add('CF_MISSING_REFERENCE', `Missing CF-netCDF ${kind} variable '${name}', referenced by netCDF variable '${target.name}'`, target.name);
    };
    // Mesh coordinates belong to their mesh: other variables naming them (in `coordinates`) get MeshCoords instead.
    const ignoreMeshCoords = ugrid !== undefined && !meshNames.has(target.name);
    const add = (kind: string, name: string, role: CfRole, rule: SpanRule, ignoreCoordinates = true): void => {
      if (ignoreCoordinates && coordinateNames.has(name)) return;
      if (ignoreMeshCoords && ugrid.coords.has(name)) return;
      if (!vars.has(name)) return missing(kind, name);
      out.push({ name, role, rule });
    };
    for (const name of words(textAttribute(a, 'ancillary_variables'))) add('ancillary data', name, 'ancillary_variable', 'plain');
    for (const name of words(textAttribute(a, 'coordinates'))) {
      if (vars.get(name)?.dtype !== 'string') add('auxiliary coordinate', name, 'auxiliary_coordinate', 'plain');
    }
    const bounds = textAttribute(a, 'bounds')?.trim();
    if (bounds) add('boundary', bounds, 'bounds', 'vertex');
    const climatology = textAttribute(a, 'climatology')?.trim();
    if (climatology) add('climatology', climatology, 'climatology', 'vertex');
    for (const name of new Set(gridMappings.get(target.name)?.values() ?? [])) {
      if (ignoreMeshCoords && ugrid.coords.has(name)) continue;
      if (!vars.has(name)) {
        missing('grid mapping', name);
        continue;
      }
      const coords = [...(gridMappings.get(target.name) ?? [])].filter(([, cs]) => cs === name).map(([coord]) => coord);
      const valid = coords.some((coord) => coord === null || vars.has(coord));
      for (const coord of coords) {
        if (coord !== null && !vars.has(coord) && warn) {
          log.add('CF_MISSING_REFERENCE', `Missing CF-netCDF coordinate variable '${coord}' (associated with grid mapping variable '${name}'), referenced by netCDF variable '${target.name}'`, target.name);
        }
      }
      if (valid) out.push({ name, role: 'grid_mapping', rule: 'plain' });
    }
    for (const name of words(textAttribute(a, 'coordinates'))) {
      if (coordinateNames.has(name) || (ignoreMeshCoords && ugrid.coords.has(name))) continue;
      if (!vars.has(name)) missing('label', name);
      else if (vars.get(name)?.dtype === 'string') out.push({ name, role: 'label', rule: 'label' });
    }
    for (const [measure, name] of parsePairs(textAttribute(a, 'cell_measures') ?? '')) {
      if (name === target.name) continue;
      add('measure', name, 'cell_measure', 'plain');
      if (vars.has(name) && !coordinateNames.has(name)) measures.set(name, measure);
    }
    return out;
  };

  // Roles: each kind over all variables, in Iris's order of kinds, so a later kind overrides an earlier one.
  const kinds: CfRole[] = ['ancillary_variable', 'auxiliary_coordinate', 'bounds', 'climatology', 'grid_mapping', 'label', 'cell_measure'];
  const allReferences = order.map((name) => references(vars.get(name) as DatasetVariable, true));
  for (const kind of kinds) {
    for (const refs of allReferences) for (const ref of refs) if (ref.role === kind) roles.set(ref.name, kind);
  }
  if (ugrid) {
    for (const name of ugrid.connectivities) roles.set(name, 'mesh_connectivity');
    for (const name of ugrid.coords) roles.set(name, 'mesh_coordinate');
    for (const name of ugrid.meshes) roles.set(name, 'mesh');
  }

  // Formula terms: a variable named by a formula root's formula_terms (unless the root is a bounds variable).
  const formulaTerms = new Map<string, Map<string, string>>();
  for (const root of vars.values()) {
    const text = textAttribute(root.attributes, 'formula_terms');
    if (!text) continue;
    for (const [term, name] of parsePairs(text)) {
      if (!vars.has(name)) {
        log.add('CF_MISSING_REFERENCE', `Missing CF-netCDF formula term variable '${name}', referenced by netCDF variable '${root.name}'`, root.name);
        continue;
      }
      if (roles.get(root.name) === 'bounds') continue;
      if (!roles.has(name)) roles.set(name, 'auxiliary_coordinate');
      let byRoot = formulaTerms.get(name);
      if (!byRoot) formulaTerms.set(name, (byRoot = new Map()));
      byRoot.set(root.name, term.toLowerCase());
    }
  }
  for (const name of order) if (!roles.has(name)) roles.set(name, 'data');

  // Groups.
  const groups = new Map<string, CfGroup>();
  const ignored = new Set<string>();
  const build = (target: DatasetVariable, asData: boolean): void => {
    const members: string[] = [];
    const put = (name: string): void => {
      if (!members.includes(name)) members.push(name);
    };
    for (const ref of references(target, false)) {
      const variable = vars.get(ref.name) as DatasetVariable;
      // Iris checks no spans for what a mesh refers to.
      if (meshNames.has(target.name) || spans(variable, target, ref.rule)) {
        put(ref.name);
      } else {
        ignored.add(ref.name);
        log.add(
          'CF_NON_SPANNING_REFERENCE',
          `Ignoring variable '${ref.name}' referenced by variable '${target.name}': Dimensions (${variable.dims.map((d) => `'${d}'`).join(', ')}) do not span (${target.dims.map((d) => `'${d}'`).join(', ')})`,
          target.name,
        );
      }
    }
    if (asData) {
      for (const dim of target.dims) if (roles.get(dim) === 'coordinate') put(dim);
      for (const name of words(textAttribute(target.attributes, 'coordinates'))) if (roles.get(name) === 'coordinate') put(name);
      for (const [name, byRoot] of formulaTerms) {
        for (const root of byRoot.keys()) {
          if (!members.includes(root) || members.includes(name)) continue;
          const variable = vars.get(name) as DatasetVariable;
          if (spans(variable, target, 'plain')) {
            put(name);
          } else {
            ignored.add(name);
            log.add(
              'CF_NON_SPANNING_REFERENCE',
              `Ignoring formula terms variable '${name}' referenced by data variable '${target.name}' via variable '${root}': Dimensions (${variable.dims.map((d) => `'${d}'`).join(', ')}) do not span (${target.dims.map((d) => `'${d}'`).join(', ')})`,
              target.name,
            );
          }
        }
      }
    }
    groups.set(target.name, { members });
  };
  for (const name of order) build(vars.get(name) as DatasetVariable, roles.get(name) === 'data');

  const dataVariables = order.filter((name) => roles.get(name) === 'data');
  const promoted = new Set<string>();
  const promote = (name: string): void => {
    promoted.add(name);
    build(vars.get(name) as DatasetVariable, true);
  };
  for (const [name, byRoot] of formulaTerms) {
    for (const [root, term] of byRoot) {
      const rootVariable = vars.get(root) as DatasetVariable;
      const formula = textAttribute(rootVariable.attributes, 'standard_name') || textAttribute(rootVariable.attributes, 'long_name');
      if (formula !== undefined && REFERENCE_TERMS[formula]?.includes(term) && !promoted.has(name)) {
        promote(name);
        break;
      }
    }
  }
  const done = new Set<string>();
  for (let pending = [...ignored].filter((n) => !done.has(n)); pending.length > 0; pending = [...ignored].filter((n) => !done.has(n))) {
    for (const name of pending) {
      done.add(name);
      if (roles.get(name) !== 'data' && !promoted.has(name)) promote(name);
    }
  }
  const promotedInOrder = order.filter((name) => promoted.has(name) && roles.get(name) !== 'data');
  return {
    roles,
    measures,
    formulaTerms,
    gridMappings,
    groups,
    cubeVariables: [...dataVariables, ...promotedInOrder],
    promoted,
    ...(ugrid && { ugrid }),
  };
}

/**
 * What the CF loader reports instead of failing: Iris's load warnings (and the problems it records in
 * `iris.loading.LOAD_PROBLEMS`), each with a stable code, the variable it concerns and the source it came from.
 */
export type CfWarningCode =
  /** A variable names another (coordinates, bounds, grid_mapping, formula_terms, ...) that the file lacks. */
  | 'CF_MISSING_REFERENCE'
  /** A referenced variable has dimensions the referring one lacks; Iris ignores it there and loads it as a cube. */
  | 'CF_NON_SPANNING_REFERENCE'
  /** Units UDUNITS cannot read: the object gets `unknown` units and an `invalid_units` attribute. */
  | 'CF_INVALID_UNITS'
  /** A standard_name not in the CF standard name table: kept as `invalid_standard_name` or the long name. */
  | 'CF_INVALID_STANDARD_NAME'
  /** A calendar that is not a CF calendar, on time units: dropped. */
  | 'CF_INVALID_CALENDAR'
  /** Masked points of a dimension coordinate were replaced by the fill value. */
  | 'CF_FILLED_MASKED_POINTS'
  /** A coordinate variable that cannot be a dimension coordinate (not strictly monotonic, ...): made auxiliary. */
  | 'CF_NON_MONOTONIC_DIM_COORD'
  /** A coordinate Iris does not create (a projection coordinate without a projected grid mapping, ...). */
  | 'CF_COORD_NOT_CREATED'
  /** Bounds that do not fit their coordinate (shape, units): ignored. */
  | 'CF_BOUNDS_IGNORED'
  /** A cell_methods attribute that does not parse, or names an unknown method. */
  | 'CF_CELL_METHODS'
  /** A grid mapping that is unknown, unparsable or lacks parameters: no coordinate system. */
  | 'CF_GRID_MAPPING'
  /** A formula_terms attribute that gives no derived coordinate (unknown formula, missing terms, several). */
  | 'CF_FORMULA_TERMS'
  /** A managed attribute (STASH, ukmo__process_flags) whose value does not decode: kept as it is. */
  | 'CF_INVALID_ATTRIBUTE'
  /** A UGRID mesh part Iris corrects or ignores (a mesh without cf_role or with an inconsistent topology_dimension). */
  | 'CF_UGRID'
  /**
   * A CF grid mapping Iris has no load rule for (orthographic): no coordinate system, and the projection
   * coordinates that would need it are not created, as Iris does not create them.
   */
  | 'CF_UNHANDLED_GRID_MAPPING'
  /** PP and fieldsfiles: a field that could not be read or interpreted; the file's other fields still load. */
  | 'PP_FIELD_SKIPPED'
  /** PP and fieldsfiles: what Iris's PP loader warns about (a missing reference field, an unknown LBVC, ...). */
  | 'PP_LOAD';

export interface CfWarning {
  code: CfWarningCode;
  message: string;
  /** The netCDF variable concerned. */
  variable?: string;
  /** Index into `Publication.sources` of the file it is in. */
  source?: number;
}

/**
 * Collects warnings for one source. A warning already given is not repeated (a coordinate shared by several
 * cubes is built for each), as Python shows a warning once per place.
 */
export class WarningLog {
  readonly warnings: CfWarning[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly source?: number) {}

  add(code: CfWarningCode, message: string, variable?: string): void {
    const key = JSON.stringify([code, message, variable]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const warning: CfWarning = { code, message };
    if (variable !== undefined) warning.variable = variable;
    if (this.source !== undefined) warning.source = this.source;
    this.warnings.push(warning);
  }
}

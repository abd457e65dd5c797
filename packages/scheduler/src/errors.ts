import { CubemarkError, type FormatError, type PublicationNameProblem } from '@cubemark/format';

/**
 * Errors of the scheduler. Each has a stable `code` (HTTP clients and scripts match on it; the README lists
 * them, and a test keeps the list in step) and a message that says what to do. The HTTP layer maps codes to
 * statuses in one place (`http/errors.ts`); nothing here knows about HTTP.
 */
export const SCHEDULER_ERROR_CODES = {
  INVALID_NAME: "a publication name breaks the format's name rule",
  NAME_MISMATCH: "a document's `name` differs from the name it was published under",
  PUBLICATION_EXISTS: 'a publication of that name exists (or is being restored) and `replace` was not given',
  PUBLICATION_NOT_FOUND: 'no publication of that name',
  PUBLICATION_ABANDONED: 'a publication announced as coming will not come (its file was quarantined)',
  PUBLICATION_RESTORING: 'a publication is still being restored after the wait timed out',
  PUBLICATION_CHANGED: 'the publication was replaced or removed while an operation on it ran',
  CUBE_NOT_FOUND: 'no cube at that index in the publication',
  COORD_NOT_FOUND: 'no coordinate of that key on the cube (coordinate-values route)',
  INVALID_DOCUMENT: 'a `.cube.md` document has format errors',
  INVALID_INPUT: 'a publish input is neither a document nor a list of sources',
  NO_LOADER: 'publishing data sources needs a loader and none is configured',
  LOAD_FAILED: 'the loader could not build a publication from the sources',
  PUBLICATION_TOO_LARGE: 'a publication has more cubes or sources than the server accepts',
  SOURCE_NOT_ALLOWED: "a source lies outside the server's data roots or allowed URLs (or resolves to a non-public address)",
  CREDENTIALS_IN_URI: 'a source URI carries credentials (user:password@, a signed-URL parameter); they would be stored and served',
  BAD_SELECTION: 'a data selection (`sel`, coordinate values, collapse axes) does not fit the cube',
  PARAMETER_NOT_FOUND: 'no cube of that name in the publication (unified view)',
  MERGE_FAILED: "a parameter's cubes neither concatenate nor merge into one cube; `details.reasons` says why",
  BAD_PLOT: 'plot options that cannot be drawn (unknown colour map, bad range or size)',
  NOT_PLOTTABLE: 'a cube the maps cannot draw (values on the nodes or edges of an unstructured mesh)',
  SLICE_TOO_LARGE: 'an answer would be larger than the configured limit',
  BUDGET_EXCEEDED: "a publication's data alone is larger than the residency budget",
  PLUGIN_START_FAILED: "a plugin's `start` hook threw; the scheduler did not start",
  PLUGIN_REJECTED: "a plugin's `publish` hook threw; the publish was rolled back",
  REGISTRY_FAILED: 'the registry could not store or read a record',
  INVALID_CONFIG: 'the scheduler was configured wrongly (e.g. two plugins with one name)',
  NOT_RUNNING: 'the scheduler was closed (or not started) when the operation was asked for',
} as const;

export type SchedulerErrorCode = keyof typeof SCHEDULER_ERROR_CODES;

/** The root of the scheduler's errors: a stable `code` and optional JSON-safe `details`. */
export class SchedulerError extends CubemarkError {
  declare readonly code: SchedulerErrorCode;
  /** Extra machine-readable context (JSON-safe), sent as `details` by the HTTP API. */
  readonly details?: Record<string, unknown>;
  constructor(code: SchedulerErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, { cause: options?.cause });
    this.details = options?.details;
  }
}

/** A name the format's name rule refuses; the message is the rule's own (`checkPublicationName`). */
export class InvalidNameError extends SchedulerError {
  constructor(problem: PublicationNameProblem) {
    super('INVALID_NAME', problem.message);
  }
}

export class PublicationExistsError extends SchedulerError {
  constructor(name: string, restoring = false) {
    super(
      'PUBLICATION_EXISTS',
      restoring
        ? `a publication named '${name}' is being restored; wait for it, or publish with replace to supersede it`
        : `a publication named '${name}' exists; unpublish it first, or publish with replace (?replace=true, --replace)`,
    );
  }
}

export class PublicationNotFoundError extends SchedulerError {
  constructor(name: string) {
    super('PUBLICATION_NOT_FOUND', `no publication named '${name}'; list them with GET /publications (cubemark list)`);
  }
}

/**
 * A `.cube.md` document did not parse. `errors` are the format's errors, with file, line, column and pointer;
 * `lines()` gives them as `path:line:col CODE message`.
 */
export class InvalidPublicationError extends SchedulerError {
  readonly errors: readonly FormatError[];
  constructor(errors: readonly FormatError[]) {
    const first = errors[0];
    super(
      'INVALID_DOCUMENT',
      `the document has ${errors.length} problem${errors.length === 1 ? '' : 's'}${first ? `; first: ${first.format()}` : ''}`,
      { details: { errors: errors.map((e) => e.format()) } },
    );
    this.errors = errors;
  }
  lines(): string[] {
    return this.errors.map((e) => e.format());
  }
}

/** A plugin's hook failed. `plugin` names it; `cause` is what it threw. */
export class PluginError extends SchedulerError {
  readonly plugin: string;
  readonly hook: 'start' | 'publish';
  constructor(code: 'PLUGIN_START_FAILED' | 'PLUGIN_REJECTED', plugin: string, hook: 'start' | 'publish', message: string, options: { cause: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.plugin = plugin;
    this.hook = hook;
  }
}

/** The message of anything thrown, for logs and warnings. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

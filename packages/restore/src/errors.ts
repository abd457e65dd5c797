import { CubemarkError } from '@cubemark/format';

/**
 * Every error code the restore plugin reports, with what it means. Codes are stable: scripts and logs match on
 * them, and a test checks that each one is documented in the README.
 */
export const RESTORE_ERROR_CODES = {
  BAD_STORE_URI: 'the store location is neither a folder path nor `s3://bucket/prefix`',
  INVALID_NAME: "a store file or a write whose name breaks the format's name rule (such a file is quarantined)",
  STORE_UNAVAILABLE: 'the store could not be listed or created (missing folder or bucket, no access)',
  STORE_READ_FAILED: 'a file in the store could not be read',
  STORE_WRITE_FAILED: 'a file could not be written durably, so the publish it belongs to is refused',
  STORE_MOVE_FAILED: 'a file could not be moved to the trash or the quarantine',
  NAME_MISMATCH: "a file's `name` differs from its file name (`<name>.cube.md`)",
  PARSE_FAILED: 'parsing a file crashed (a worker died or ran out of memory), as opposed to finding it invalid',
  STATE_INVALID: '`.cubemark/state.json` is not the JSON this plugin writes; it is ignored and rewritten',
  NOT_STARTED: '`restored()` or `reload()` was called before the scheduler started the plugin',
  STOPPED: 'the scheduler is stopping: background work of the plugin was cancelled',
} as const;

export type RestoreErrorCode = keyof typeof RESTORE_ERROR_CODES;

/** A failure of the restore plugin or one of its stores. `location` names the store, `key` the file in it. */
export class RestoreError extends CubemarkError {
  declare readonly code: RestoreErrorCode;
  readonly location?: string;
  readonly key?: string;
  /**
   * The HTTP status a publish refused for this reason answers with (the scheduler reads `statusCode` on what a
   * plugin throws): 507 for a full store, 503 for one that cannot be written now.
   */
  readonly statusCode?: number;
  constructor(code: RestoreErrorCode, message: string, options: { location?: string; key?: string; cause?: unknown; statusCode?: number } = {}) {
    super(code, message, { cause: options.cause });
    this.location = options.location;
    this.key = options.key;
    this.statusCode = options.statusCode;
  }
}

/**
 * One problem with one file, as it goes into a quarantine report and the boot log: the format's `FormatError`s
 * (flattened, since they cross a worker boundary) and the plugin's own file-level checks (`NAME_MISMATCH`,
 * `PARSE_FAILED`).
 */
export interface FileProblem {
  code: string;
  message: string;
  /** The file as the store describes it (`publications/x.cube.md`, `s3://bucket/prefix/x.cube.md`). */
  file: string;
  line: number;
  column: number;
  /** JSON pointer into the frontmatter, `''` for the whole document. */
  pointer: string;
}

/** `path:line:col CODE message`, the form `cubemark validate` prints and editors understand. */
export function formatProblem(p: FileProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.code} ${p.message}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { checkPublicationName, parse, publicationIndex, type Publication, type PublicationIndex } from '@cubemark/format';
import type { FileProblem } from '../errors.js';

/**
 * What reading one store file gives: for a valid file, its index and its bytes compressed (what the publication is
 * held as until a request needs its model), or the problems.
 */
export interface CheckedFile {
  /** What listing needs (name, title, cubes' names, units, dims, shapes, dtypes, sources), when the file is valid. */
  index?: PublicationIndex;
  /** The file's bytes, brotli-compressed (`unpack` gives them back), when the file is valid. */
  packed?: Uint8Array;
  /** The model itself, only when asked for (`keepModel`: a request is waiting for it) and the file is valid. */
  publication?: Publication;
  /**
   * The Markdown after the frontmatter, byte for byte (kept on later rewrites): for an invalid file, and with the
   * model. A valid file's is in its packed bytes, so a worker does not send it back as well.
   */
  body?: string;
  problems: FileProblem[];
  /** Number of cubes, for the boot report (0 when `unchanged`: the recorded index has them). */
  cubes: number;
  /** SHA-256 of the file's bytes, hex: what the restore index records, and a reload compares. */
  hash: string;
  /**
   * The bytes hash to `CheckOptions.expectHash`: the file is the one a previous run checked and found valid, so it
   * was not parsed again (`packed` is set; `index` is the caller's, recorded with that hash).
   */
  unchanged?: true;
}

export interface CheckOptions {
  /** Give the model back too (default: false; a restore holds the compressed text and builds the model on first use). */
  keepModel?: boolean;
  /**
   * The hash recorded for this file when it was last found valid (the restore index): bytes that hash to it are
   * not parsed again (and no model is kept).
   */
  expectHash?: string;
}

/** Brotli at quality 1: faster than deflate's fastest level, and smaller (README, "Measurements"). */
const PACK = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

/** SHA-256 of `bytes`, hex: how the plugin and the store's index tell a file's versions apart. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file's bytes as a restored publication holds them. */
export function pack(bytes: Uint8Array): Uint8Array {
  return brotliCompressSync(bytes, PACK);
}

/** The bytes `pack` was given. */
export function unpack(packed: Uint8Array): Uint8Array {
  return brotliDecompressSync(packed);
}

/**
 * Parse and validate one `.cube.md` file from the store, as the publication `name` (its file name). The format's
 * `parse` checks encoding, YAML, version, schema and semantics; this adds that the file name follows the name rule
 * (INVALID_NAME) and the store's own rule that the file holds the publication its name says, so a copied file
 * cannot silently shadow another publication. Runs in a worker thread or inline. Its result is small plain data (the index, the packed bytes, no model unless asked for), cheap
 * to pass between threads, where cloning a model is not.
 */
export function checkFile(bytes: Uint8Array, file: string, name: string, options: CheckOptions = {}): CheckedFile {
  // Hashing is cheap against parsing and validating (see the README).
  const hash = sha256(bytes);
  // A file the name rule refuses can never be published, whatever it holds: refused as the API would refuse it.
  const invalid = checkPublicationName(name);
  if (invalid) return { problems: [{ code: invalid.code, message: invalid.message, file, line: 1, column: 1, pointer: '' }], cubes: 0, hash };
  if (options.expectHash === hash) return { packed: pack(bytes), problems: [], cubes: 0, hash, unchanged: true };
  const result = parse(bytes, { file });
  const problems: FileProblem[] = result.errors.map((e) => ({ code: e.code, message: e.message, file, line: e.line, column: e.column, pointer: e.pointer }));
  const publication = result.publication;
  if (problems.length === 0 && publication && publication.name !== name) {
    const line = lineOfKey(result.frontmatter, 'name');
    problems.push({
      code: 'NAME_MISMATCH',
      message: `the file holds publication '${publication.name}' but is named for '${name}': rename the file or fix 'name'`,
      file,
      line,
      column: 1,
      pointer: '/name',
    });
  }
  if (problems.length > 0) return { body: result.body, problems, cubes: 0, hash };
  if (!publication) {
    // parse promises a publication when it reports no errors; say so rather than restore nothing silently.
    const problem: FileProblem = { code: 'PARSE_FAILED', message: 'the parser gave neither a publication nor errors', file, line: 1, column: 1, pointer: '' };
    return { body: result.body, problems: [problem], cubes: 0, hash };
  }
  return {
    index: publicationIndex(publication),
    packed: pack(bytes),
    ...(options.keepModel && { publication, body: result.body }),
    problems,
    cubes: publication.cubes.length,
    hash,
  };
}

/** The file line of a top-level key: the frontmatter starts on line 2, after the opening `---`. */
function lineOfKey(frontmatter: string, key: string): number {
  const lines = frontmatter.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? 1 : i + 2;
}

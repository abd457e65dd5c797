import { parse, type Publication } from '@cubemark/format';
import type { FileProblem } from '../errors.js';

/** What reading one store file gives: the publication (when valid) and its prose, or the problems. */
export interface CheckedFile {
  publication?: Publication;
  /** The Markdown after the frontmatter, byte for byte (kept on later rewrites). */
  body: string;
  problems: FileProblem[];
  /** Number of cubes, for the boot report. */
  cubes: number;
}

/**
 * Parse and validate one `.cube.md` file from the store, as the publication `name` (its file name). The format's
 * `parse` checks encoding, YAML, version, schema and semantics; this adds the store's own rule that the file holds
 * the publication its name says, so a copied file cannot silently shadow another publication. Runs in a worker
 * thread or inline: its result is plain data, cheap to pass between threads.
 */
export function checkFile(bytes: Uint8Array, file: string, name: string): CheckedFile {
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
  if (problems.length > 0) return { body: result.body, problems, cubes: 0 };
  if (!publication) {
    // parse promises a publication when it reports no errors; say so rather than restore nothing silently.
    return { body: result.body, problems: [{ code: 'PARSE_FAILED', message: 'the parser gave neither a publication nor errors', file, line: 1, column: 1, pointer: '' }], cubes: 0 };
  }
  return { publication, body: result.body, problems, cubes: publication.cubes.length };
}

/** The file line of a top-level key: the frontmatter starts on line 2, after the opening `---`. */
function lineOfKey(frontmatter: string, key: string): number {
  const lines = frontmatter.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? 1 : i + 2;
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads shared/data/iris-test-data/IRIS-READING.md: for each test file (path relative to iris-test-data), the
 * `print(cube)` text of each cube Iris loads from it, in file order, lines joined with `\n`.
 *
 * The Markdown indents each printout's lines by a few spaces more than Iris printed them (2 or 4, with the fence's
 * own indentation), the header line by 6. Iris itself prints the header at column 0 and section titles at column
 * 4, which the column alignment confirms (the `x` under a dimension lines up under its header entry only that
 * way), so the header's extra spaces are dropped and the body is shifted for its titles to start at column 4.
 * Fenced blocks that are not printouts (load warnings, errors) are skipped.
 */
export function readIrisReading(path: string = irisReadingPath()): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let file: string | undefined;
  let fence: string | undefined;
  let block: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const heading = /^## (.+?)\s*$/.exec(line);
    if (heading && fence === undefined) {
      file = heading[1];
      result.set(file, []);
      continue;
    }
    const fenceLine = /^(\s*)```\s*$/.exec(line);
    if (fenceLine) {
      if (fence === undefined) {
        fence = fenceLine[1];
        block = [];
      } else {
        const printout = asPrintout(block.map((l) => (l.startsWith(fence as string) ? l.slice((fence as string).length) : l.trimStart())));
        if (printout !== undefined && file !== undefined) result.get(file)?.push(printout);
        fence = undefined;
      }
      continue;
    }
    if (fence !== undefined) block.push(line);
  }
  return result;
}

/** Iris indents the sections of a printout by 4: whatever more the Markdown adds is dropped (2, or 4 in places). */
const SECTION_INDENT = 4;

function asPrintout(lines: string[]): string | undefined {
  const content = lines.map((l) => (l.trim() === '' ? '' : l));
  while (content.length && content[0] === '') content.shift();
  while (content.length && content[content.length - 1] === '') content.pop();
  if (content.length === 0) return undefined;
  const indents = content.slice(1).filter((l) => l !== '').map((l) => l.length - l.trimStart().length);
  const extra = (indents.length > 0 ? Math.min(...indents) : SECTION_INDENT + 2) - SECTION_INDENT;
  if (extra < 0 || !content.every((l) => l === '' || l.length - l.trimStart().length >= Math.min(extra, 2))) return undefined;
  const [header, ...rest] = content.map((l) => l.slice(extra));
  if (!/ \/ \(.*\)/.test(header)) return undefined;
  return [header.trimStart(), ...rest].join('\n');
}

/**
 * Where the Iris test data is: `$CUBEMARK_IRIS_TEST_DATA`, else the first `shared/data/iris-test-data` found
 * walking up from this file (shared/ sits beside the checkout, on developer machines and in CI).
 */
const MACHINE_SHARED = '/work/shared/data/iris-test-data';

export function irisTestDataDir(): string {
  const fromEnv = process.env.CUBEMARK_IRIS_TEST_DATA;
  if (fromEnv) return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'data', 'iris-test-data');
    if (existsSync(join(candidate, 'IRIS-READING.md'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      // A clone made elsewhere on this machine (CI clones into a temporary folder) still has the shared data.
      if (existsSync(join(MACHINE_SHARED, 'IRIS-READING.md'))) return MACHINE_SHARED;
      throw new Error('cannot find shared/data/iris-test-data/IRIS-READING.md above the checkout; set CUBEMARK_IRIS_TEST_DATA');
    }
    dir = parent;
  }
}

export function irisReadingPath(): string {
  return join(irisTestDataDir(), 'IRIS-READING.md');
}

/** A file of iris-test-data that cubemark does not read as Iris does yet, and the issue that will make it so. */
export interface KnownGap {
  issue: number;
  what: string;
}

/**
/**
 * Whether `path` (relative to iris-test-data) is a known gap, judged by content so any such file counts. None is
 * left: UM PP and fieldsfiles (issue 10) and UGRID meshes (issue 13) are read as Iris reads them. A new kind of file
 * that cubemark does not read yet goes here, with its issue; tests run a gap's checks with `test.fails`, so a gap
 * that starts to pass fails until it is taken off here.
 */
export function knownGap(path: string, dir: string = irisTestDataDir()): KnownGap | undefined {
  if (GAPS.length === 0) return undefined;
  const bytes = readFileSync(join(dir, path));
  const gap = GAPS.find((g) => g.holds(bytes));
  return gap && { issue: gap.issue, what: gap.what };
}

/** Kinds of file not read as Iris reads them yet, each recognised by its bytes (e.g. `b.includes('mesh_topology')`). */
const GAPS: (KnownGap & { holds(bytes: Buffer): boolean })[] = [];

/**
 * The error Iris raised loading `path`, when it raised one (`ValueError: ...` in a fenced block of
 * IRIS-READING.md), as `{type, message}`; then the file has no printouts.
 */
export function irisLoadError(path: string, file: string = irisReadingPath()): { type: string; message: string } | undefined {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`## ${path}\n`);
  if (start < 0) return undefined;
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const m = /^\s*(\w*Error): (.+)$/m.exec(section);
  return m ? { type: m[1], message: m[2].trim() } : undefined;
}

/**
 * The warnings Iris gave loading `path` (fenced blocks of `Category: message` lines in IRIS-READING.md; a message
 * may go on over further lines), in order, as `{category, message}`.
 */
export function irisWarnings(path: string, file: string = irisReadingPath()): { category: string; message: string }[] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`## ${path}\n`);
  if (start < 0) return [];
  const end = text.indexOf('\n## ', start + 1);
  const out: { category: string; message: string }[] = [];
  let fenced = false;
  let current: { category: string; message: string } | undefined;
  for (const line of text.slice(start, end < 0 ? undefined : end).split('\n')) {
    if (/^\s*```\s*$/.test(line)) {
      fenced = !fenced;
      current = undefined;
      continue;
    }
    if (!fenced) continue;
    const m = /^\s*(\w*Warning|_Warn\w*): (.*)$/.exec(line);
    if (m) {
      current = { category: m[1], message: m[2] };
      out.push(current);
    } else if (line.trim() === '') {
      current = undefined;
    } else if (current && !/^\s*\w*Error: /.test(line) && !/ \/ \(/.test(line)) {
      current.message += `\n${line}`;
    }
  }
  return out;
}

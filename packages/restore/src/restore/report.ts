import type { FileProblem } from '../errors.js';
import { formatProblem } from '../errors.js';

/** A file that failed to parse or validate and was moved aside. */
export interface QuarantinedFile {
  name: string;
  /** The file as it was in the store. */
  file: string;
  /** Where its copy and `.errors.txt` now are. */
  copy?: string;
  problems: FileProblem[];
}

/** A publication restored with state `stale`: some data source is missing or changed since it was published. */
export interface StalePublication {
  name: string;
  reasons: string[];
}

/** What one restore (a scheduler boot) did. */
export interface RestoreReport {
  /** Publications published again. */
  restored: number;
  /** Their cubes. */
  cubes: number;
  /** Files whose bytes were as the store's index recorded them: published without being parsed again. */
  unchanged: number;
  /** From the `start` hook until every file was published or quarantined and every source checked. */
  ms: number;
  /** Parse worker threads used (0: the main thread). */
  threads: number;
  quarantined: QuarantinedFile[];
  stale: StalePublication[];
  /** Everything else worth a line: unchecked sources, publishes the scheduler refused, leftovers removed. */
  warnings: string[];
}

/** What one `reload()` did. */
export interface ReloadReport {
  /** Publications whose file changed, published again with `replace`. */
  replaced: string[];
  /** New files, published for the first time. */
  added: string[];
  /** Files gone from the store, unpublished. */
  removed: string[];
  /** Files looked at and found as they were. */
  unchanged: number;
  quarantined: QuarantinedFile[];
  stale: StalePublication[];
  warnings: string[];
}

/** At most this many lines per kind of problem in the log; the rest are counted. All are in the report. */
const MAX_LINES = 20;

/**
 * The boot report's lines: a summary, then one line per quarantined file and stale publication.
 *
 * ```
 * restored 998 publications (59,880 cubes) in 2.4 s · 990 unchanged since indexed (not parsed) · 1 quarantined · 1 stale
 *   quarantined publications/old-run.cube.md:3:1 DUPLICATE_KEY key 'name' appears twice
 *   stale ukv-20170514T21Z: source prods_op_ukv_20170514_21_000.nc changed size since it was published
 * ```
 */
export function restoreReportLines(report: RestoreReport): { summary: string; details: string[] } {
  const parts = [
    `restored ${count(report.restored, 'publication')} (${count(report.cubes, 'cube')}) in ${(report.ms / 1000).toFixed(1)} s`,
  ];
  if (report.unchanged > 0) parts.push(`${report.unchanged.toLocaleString('en-US')} unchanged since indexed (not parsed)`);
  if (report.quarantined.length > 0) parts.push(`${report.quarantined.length} quarantined`);
  if (report.stale.length > 0) parts.push(`${report.stale.length} stale`);
  if (report.warnings.length > 0) parts.push(`${count(report.warnings.length, 'warning')}`);
  return { summary: parts.join(' · '), details: detailLines(report) };
}

export function reloadReportLines(location: string, report: ReloadReport): { summary: string; details: string[] } {
  const parts = [`reloaded ${location}: ${report.replaced.length} changed`];
  if (report.added.length > 0) parts.push(`${report.added.length} added`);
  if (report.removed.length > 0) parts.push(`${report.removed.length} removed`);
  if (report.quarantined.length > 0) parts.push(`${report.quarantined.length} quarantined`);
  if (report.stale.length > 0) parts.push(`${report.stale.length} stale`);
  if (report.warnings.length > 0) parts.push(`${count(report.warnings.length, 'warning')}`);
  return { summary: parts.join(' · '), details: detailLines(report) };
}

function detailLines(report: { quarantined: QuarantinedFile[]; stale: StalePublication[]; warnings: string[] }): string[] {
  const lines: string[] = [];
  const some = <T>(items: T[], line: (item: T) => string, what: string) => {
    for (const item of items.slice(0, MAX_LINES)) lines.push(`  ${line(item)}`);
    if (items.length > MAX_LINES) lines.push(`  … and ${items.length - MAX_LINES} more ${what}`);
  };
  some(report.quarantined, quarantineLine, 'quarantined');
  some(report.stale, (s) => `stale ${s.name}: ${s.reasons.join('; ')}`, 'stale');
  some(report.warnings, (w) => `warning ${w}`, 'warnings');
  return lines;
}

function quarantineLine(q: QuarantinedFile): string {
  const first = q.problems[0];
  const more = q.problems.length > 1 ? ` (+${q.problems.length - 1} more)` : '';
  const where = q.copy ? ` → ${q.copy}` : '';
  return `quarantined ${first ? formatProblem(first) : q.file}${more}${where}`;
}

/** The text written beside a quarantined file: every problem, one per line, then what to do. */
export function quarantineText(file: string, problems: FileProblem[], when = new Date()): string {
  return [
    `# ${file} was quarantined by the cubemark restore plugin at ${when.toISOString()}`,
    `# Fix the problems below, then move the file back into the store and run \`cubemark reload\`.`,
    ...problems.map(formatProblem),
    '',
  ].join('\n');
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

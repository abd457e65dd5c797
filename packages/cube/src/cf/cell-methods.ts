import type { CellMethod } from '@cubemark/format';
import type { WarningLog } from './warnings.js';

/**
 * CF `cell_methods` parsing, as Iris's `_nc_load_rules.helpers.parse_cell_methods`: the attribute is split where a
 * `name:` starts outside brackets, each part is `names: method (extra)`, and the extra text becomes intervals and
 * comments (`interval:` and `comment:` fields, or all of it as one comment). A single interval or comment given
 * for several names is repeated for each. Coordinate names are the file's (variable) names; the loader renames
 * them after the coordinates they refer to.
 */

const NAME_START = /(?:\w+\s*?:\s*)+/g;
const CELL_METHOD = /^(?<name>(?:\w+\s*?:\s*)+)(?<method>\S[\w\s]+(?!\w*\s*?:))\s*(?:\(\s*(?<extra>.+)\)\s*)?/;

export const KNOWN_CELL_METHODS: readonly string[] = [
  'point',
  'sum',
  'mean',
  'maximum',
  'minimum',
  'mid_range',
  'standard_deviation',
  'variance',
  'mode',
  'median',
];

function split(text: string, log?: WarningLog, variable?: string): RegExpExecArray[] {
  let starts = [...text.matchAll(NAME_START)].map((m) => m.index ?? 0);
  if (starts.length === 0) {
    log?.add('CF_CELL_METHODS', `Failed to parse cell method string: ${text}`, variable);
    return [];
  }
  let depth = 0;
  const inside = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') {
      depth--;
      if (depth < 0) log?.add('CF_CELL_METHODS', 'Cell methods may be incorrectly parsed due to mismatched brackets', variable);
    }
    if (depth > 0) inside.add(i);
  }
  starts = starts.filter((s) => !inside.has(s));
  const matches: RegExpExecArray[] = [];
  starts.forEach((start, k) => {
    const part = text.slice(start, k + 1 < starts.length ? starts[k + 1] : text.length);
    const m = CELL_METHOD.exec(part.trim());
    if (!m) {
      log?.add('CF_CELL_METHODS', `Failed to fully parse cell method string: ${text}`, variable);
      return;
    }
    matches.push(m);
  });
  return matches;
}

function extraFields(extra: string): { intervals: string[]; comments: string[] } {
  const intervals: string[] = [];
  const comments: string[] = [];
  const fields = extra.replaceAll('comment:', '<<comment>><<:>>').replaceAll('interval:', '<<interval>><<:>>').split('<<:>>');
  if (fields.length === 1) {
    comments.push(...fields);
    return { intervals, comments };
  }
  let next = comments;
  for (let field of fields) {
    const target = next;
    let index = field.lastIndexOf('<<interval>>');
    if (index === 0) {
      next = intervals;
      continue;
    } else if (index > 0) {
      next = intervals;
    } else {
      index = field.lastIndexOf('<<comment>>');
      if (index === 0) {
        next = comments;
        continue;
      } else if (index > 0) {
        next = comments;
      }
    }
    if (index !== -1) field = field.slice(0, index);
    target.push(field.trim());
  }
  return { intervals, comments };
}

/** The cell methods of a `cell_methods` attribute, in order; unparsable parts are skipped with a warning. */
export function parseCellMethods(text: string, log?: WarningLog, variable?: string): CellMethod[] {
  const result: CellMethod[] = [];
  let unknown: string | undefined;
  for (const m of split(text, log, variable)) {
    const groups = m.groups ?? {};
    const method = groups.method.trim();
    const first = method.split(/\s+/)[0];
    if (!KNOWN_CELL_METHODS.includes(first.toLowerCase())) unknown = first;
    const coords = groups.name.replaceAll(' ', '').replace(/:+$/, '').split(':');
    let { intervals, comments } = groups.extra === undefined ? { intervals: [], comments: [] } : extraFields(groups.extra);
    if (intervals.length === 1 && coords.length > 1) intervals = coords.map(() => intervals[0]);
    if (comments.length === 1 && coords.length > 1) comments = coords.map(() => comments[0]);
    result.push({ method, coords, intervals, comments });
  }
  if (unknown !== undefined) {
    log?.add('CF_CELL_METHODS', `NetCDF variable ${variable === undefined ? '' : `'${variable}' `}contains unknown cell method '${unknown}'`, variable);
  }
  return result;
}

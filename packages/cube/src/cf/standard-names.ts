import { CF_STANDARD_NAME_TABLE_VERSION, FRONT_CODED_STANDARD_NAMES } from './tables/standard-names.generated.js';

export { CF_STANDARD_NAME_TABLE_VERSION };

let table: ReadonlySet<string> | undefined;

/** The CF standard name table's names and aliases, decoded on first use. */
function standardNames(): ReadonlySet<string> {
  if (table) return table;
  const names = new Set<string>();
  let previous = '';
  for (const line of FRONT_CODED_STANDARD_NAMES.split('\n')) {
    previous = previous.slice(0, line.charCodeAt(0) - 33) + line.slice(1);
    names.add(previous);
  }
  table = names;
  return names;
}

/** Standard name modifiers (CF Appendix C), which may follow a standard name after blanks. */
const MODIFIERS = new Set(['detection_minimum', 'number_of_observations', 'standard_error', 'status_flag']);

/** Whether `name` is in the CF standard name table (optionally followed by a modifier), as Iris checks it. */
export function isStandardName(name: string): boolean {
  const [base, ...rest] = name.trim().split(/\s+/);
  if (!base || !standardNames().has(base)) return false;
  return rest.length === 0 || (rest.length === 1 && MODIFIERS.has(rest[0]));
}

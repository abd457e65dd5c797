/** One semantic difference between two publications, addressed by a readable path. */
export interface Change {
  /** e.g. `cube air_temperature`, `cube air_temperature / coord time`. */
  where: string;
  /** e.g. `units K → degC`, `added`, `attribute history changed`. */
  what: string;
}

/** The diff as text: the publication name, then one indented line per change. */
export function formatChanges(name: string, changes: readonly Change[]): string {
  if (changes.length === 0) return `${name}: no semantic changes\n`;
  const lines = [name];
  for (const c of changes) lines.push(`  ${c.where}: ${c.what}`);
  return lines.join('\n') + '\n';
}

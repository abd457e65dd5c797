import type { Publication } from '../model/types.js';

/** The text of the generated section: each cube's Iris-style summary, separated by blank lines. */
export function publicationSummary(pub: Publication): string {
  // Interim: one line per cube until the Iris-layout printer lands.
  return pub.cubes
    .map((c) => `${c.standard_name ?? c.long_name ?? c.var_name ?? 'unknown'} / (${c.units})  (${c.dims.map((d, i) => `${d}: ${c.shape[i]}`).join('; ')})`)
    .join('\n\n');
}

import type { Publication } from '../model/types.js';
import { cubeSummary, type CubeSummaryOptions } from '../summary/index.js';

/**
 * Each cube's Iris-style summary (`print(cube)`), separated by blank lines. `serialize` writes it into the generated
 * section with `stableWidths` (spec §15.1), so that one change to the model is one changed line there.
 */
export function publicationSummary(pub: Publication, options: CubeSummaryOptions = {}): string {
  return pub.cubes.map((c) => cubeSummary(c, { meshes: pub.meshes, ...options })).join('\n\n');
}

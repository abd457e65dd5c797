import type { Publication } from '../model/types.js';
import { cubeSummary } from '../summary/index.js';

/** The text of the generated section: each cube's Iris-style summary (`print(cube)`), separated by blank lines. */
export function publicationSummary(pub: Publication): string {
  return pub.cubes.map((c) => cubeSummary(c, { meshes: pub.meshes })).join('\n\n');
}

import { spliceSummary } from '../document/body.js';
import type { Publication } from '../model/types.js';
import { publicationSummary } from './summary-text.js';
import { serializeFrontmatter } from './frontmatter.js';

export interface SerializeOptions {
  /** The existing Markdown body (prose to keep); a new body is written when absent. */
  body?: string;
}

/**
 * A publication as a `.cube.md` file: canonical frontmatter, then the body with its generated summary section
 * brought up to date. The same model and body always give the same bytes.
 */
export function serialize(pub: Publication, options: SerializeOptions = {}): string {
  const body = spliceSummary(options.body, pub.title ?? pub.name, publicationSummary(pub, { stableWidths: true }));
  return `---\n${serializeFrontmatter(pub)}---\n${body}`;
}

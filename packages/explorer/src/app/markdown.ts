/**
 * A publication's Markdown as safe HTML: GitHub-flavoured Markdown (tables, task lists) through remark and rehype,
 * with the frontmatter dropped (the page shows the metadata as tables) and the result sanitised by
 * rehype-sanitize with GitHub's schema. Raw HTML in a file is never passed through, scripts, event handlers and
 * `javascript:` links are removed, and images may only be relative (the page fetches nothing from elsewhere).
 */
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { findSummarySection } from '@cubemark/format';

interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

/** Images only from the page's own server: an absolute or protocol-relative `src` is dropped (alt text stays). */
function localImagesOnly() {
  const visit = (node: HastNode) => {
    if (node.type === 'element' && node.tagName === 'img' && node.properties) {
      const src = String(node.properties.src ?? '');
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) delete node.properties.src;
    }
    node.children?.forEach(visit);
  };
  return (tree: HastNode) => visit(tree);
}

const processor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: false })
  .use(rehypeSanitize, defaultSchema)
  .use(localImagesOnly)
  .use(rehypeStringify);

/** The prose of a `.cube.md` document (or any Markdown) as sanitised HTML. */
export function markdownToHtml(markdown: string): string {
  return String(processor.processSync(markdown));
}

/** A publication's description for the page: the people's prose, and the generated summaries apart. */
export interface Description {
  /** Sanitised HTML of the prose (everything but the frontmatter and the generated section). */
  prose: string;
  /** Sanitised HTML of the generated section (Iris summaries of every cube), if the document has one. */
  summary?: string;
}

/**
 * Split a `.cube.md` text at its generated section (found as @cubemark/format finds it, so markers quoted in prose
 * or code are not mistaken for it): the prose is what people wrote and leads; the summaries, long for a
 * publication of many cubes, are shown folded.
 */
export function describeDocument(markdown: string): Description {
  const section = findSummarySection(markdown);
  if (!section) return { prose: markdownToHtml(markdown) };
  const prose = markdownToHtml(markdown.slice(0, section.start) + markdown.slice(section.end));
  return { prose, summary: markdownToHtml(markdown.slice(section.start, section.end)) };
}

/**
 * A `.cube.md` file split into its YAML frontmatter and Markdown body, by the rule remark-frontmatter uses: the
 * file opens with a `---` line and the frontmatter runs to the next line that is exactly `---`.
 */
export interface SplitDocument {
  /** The file began with a UTF-8 byte-order mark (dropped from `yaml`/`body`). */
  bom: boolean;
  /** The YAML between the fences. */
  yaml: string;
  /** 1-based file line of the first YAML line. */
  yamlLine: number;
  /** Everything after the closing fence's line break, byte for byte. */
  body: string;
}

export type SplitProblem = { code: 'NO_FRONTMATTER' | 'UNTERMINATED_FRONTMATTER'; message: string; line: number; column: number };

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^---[ \t]*(?:\r?\n|$)/m;

export function splitDocument(text: string): SplitDocument | SplitProblem {
  const bom = text.charCodeAt(0) === 0xfeff;
  const t = bom ? text.slice(1) : text;
  const open = OPEN.exec(t);
  if (!open) {
    return { code: 'NO_FRONTMATTER', message: 'the file must start with a `---` line opening the YAML frontmatter', line: 1, column: 1 };
  }
  const rest = t.slice(open[0].length);
  // An empty frontmatter closes on the very next line.
  CLOSE.lastIndex = 0;
  const close = CLOSE.exec(rest);
  if (!close) {
    const lines = t.split('\n').length;
    return {
      code: 'UNTERMINATED_FRONTMATTER',
      message: `the frontmatter opened on line 1 has no closing \`---\` line (checked ${lines} lines)`,
      line: 1,
      column: 1,
    };
  }
  const yaml = rest.slice(0, close.index);
  const body = rest.slice(close.index + close[0].length);
  return { bom, yaml, yamlLine: 2, body };
}

import { FlowLines, Literal } from './literal.js';
import { formatFloat64, formatString } from './scalars.js';

/** Lines of canonical YAML are at most this wide when a mapping is written in flow style. */
export const LINE_WIDTH = 120;

export type EmitValue = Literal | FlowLines | string | number | boolean | null | EmitValue[] | { [key: string]: EmitValue };

/**
 * Writes the canonical YAML subset: block mappings and block sequences with two-space indentation, flow
 * collections on one line, plain or JSON-quoted scalars. Collections in `block` are always written in block
 * style; any other mapping is a one-line flow mapping when that fits in `LINE_WIDTH`, else a block mapping.
 * Sequences are flow unless in `block`. `FlowLines` (a long list already cut into lines) is written as `key: [` and
 * its lines, and forces every mapping around it into block style.
 */
export function emitYaml(root: { [key: string]: EmitValue }, block: WeakSet<object>): string {
  const out: string[] = [];
  emitMapping(root, 0, out, block);
  return out.join('\n') + '\n';
}

function scalar(v: Literal | FlowLines | string | number | boolean | null, context: 'flow' | 'block' = 'flow'): string {
  if (v instanceof Literal) return v.text;
  if (v instanceof FlowLines) return `[${v.lines.join(' ')}`;
  if (typeof v === 'string') return formatString(v, context);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : formatFloat64(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return 'null';
}

function isCollection(v: EmitValue): v is EmitValue[] | { [key: string]: EmitValue } {
  return v !== null && typeof v === 'object' && !(v instanceof Literal) && !(v instanceof FlowLines);
}

function flow(v: EmitValue): string {
  if (!isCollection(v)) return scalar(v);
  if (Array.isArray(v)) return '[' + v.map(flow).join(', ') + ']';
  const parts: string[] = [];
  for (const k of Object.keys(v)) parts.push(`${formatString(k)}: ${flow(v[k]!)}`);
  return '{' + parts.join(', ') + '}';
}

function containsBlock(v: EmitValue, block: WeakSet<object>): boolean {
  if (v instanceof FlowLines) return true;
  if (!isCollection(v)) return false;
  if (block.has(v)) return true;
  const items = Array.isArray(v) ? v : Object.values(v);
  return items.some((x) => containsBlock(x, block));
}

function emitMapping(obj: { [key: string]: EmitValue }, indent: number, out: string[], block: WeakSet<object>, firstPrefix?: string): void {
  const pad = ' '.repeat(indent);
  let first = firstPrefix !== undefined;
  for (const k of Object.keys(obj)) {
    const prefix = first ? firstPrefix! : pad;
    first = false;
    const key = formatString(k);
    const v = obj[k]!;
    emitEntry(`${prefix}${key}:`, v, indent, out, block);
  }
}

/** `head` is `<indent>key:` or `<indent>- key:`; the value follows on the same line or nested below. */
function emitEntry(head: string, v: EmitValue, indent: number, out: string[], block: WeakSet<object>): void {
  if (v instanceof FlowLines) {
    out.push(`${head} [`);
    const pad = ' '.repeat(indent + 2);
    for (const line of v.lines) out.push(pad + line);
    return;
  }
  if (!isCollection(v)) {
    out.push(`${head} ${scalar(v, 'block')}`);
    return;
  }
  const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
  if (empty) {
    out.push(`${head} ${Array.isArray(v) ? '[]' : '{}'}`);
    return;
  }
  if (!containsBlock(v, block)) {
    const line = `${head} ${flow(v)}`;
    if (Array.isArray(v) || line.length <= LINE_WIDTH) {
      out.push(line);
      return;
    }
  }
  out.push(head);
  if (Array.isArray(v)) {
    for (const item of v) emitSeqItem(item, indent + 2, out, block);
  } else {
    emitMapping(v, indent + 2, out, block);
  }
}

function emitSeqItem(item: EmitValue, indent: number, out: string[], block: WeakSet<object>): void {
  const pad = ' '.repeat(indent);
  if (isCollection(item) && !Array.isArray(item) && Object.keys(item).length > 0) {
    if (!containsBlock(item, block)) {
      const line = `${pad}- ${flow(item)}`;
      if (line.length <= LINE_WIDTH) {
        out.push(line);
        return;
      }
    }
    emitMapping(item, indent + 2, out, block, `${pad}- `);
    return;
  }
  out.push(`${pad}- ${flow(item)}`);
}

import { Alias, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { ErrorCode } from '../errors/codes.js';
import { FLOAT_TEXT, markFloatKey, markFloatList } from './float-marks.js';
import { FORBIDDEN_KEYS, type ParseLimits } from './limits.js';

export interface YamlProblem {
  code: ErrorCode;
  message: string;
  /** Offset into the YAML text. */
  offset: number;
  pointer: string;
}

export interface SlowParse {
  value: unknown;
  problems: YamlProblem[];
  /** Offset into the YAML text of the value (or, with `key`, the key) at a JSON pointer; nearest ancestor if absent. */
  locate(pointer: string, key?: boolean): number;
  lineCounter: LineCounter;
}

/** An integral number written as a float (`1.0`, `1e3`): see float-marks.ts. */
const floatIntegral = (node: unknown): boolean =>
  isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number' && Number.isInteger(node.value) && FLOAT_TEXT.test(String(node.source));

const esc = (s: string | number) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The reference YAML reader (eemeli/yaml): exact positions for every node and every error. Builds the plain value
 * itself, refusing what the format forbids: aliases, explicit tags, prototype keys, duplicate keys, deep nesting,
 * integers too large to be exact.
 */
export function parseYamlSlow(text: string, limits: ParseLimits): SlowParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false, strict: true });
  const problems: YamlProblem[] = [];
  for (const e of doc.errors) {
    const code: ErrorCode =
      e.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : e.code === 'TAB_AS_INDENT' ? 'TAB_INDENT' : 'YAML_SYNTAX';
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    problems.push({ code, message: code === 'DUPLICATE_KEY' ? duplicateMessage(doc.contents, e.pos[0], lineCounter) ?? message : lowerFirst(message), offset: e.pos[0], pointer: '' });
  }

  const build = (node: Node | null | undefined, path: string, depth: number): unknown => {
    if (node == null) return null;
    if (depth > limits.maxDepth) {
      problems.push({ code: 'TOO_DEEP', message: `nesting is deeper than ${limits.maxDepth} levels`, offset: start(node), pointer: path });
      return null;
    }
    if (isAlias(node)) {
      problems.push({ code: 'YAML_ALIAS', message: `alias *${(node as Alias).source} is not allowed: write the value out`, offset: start(node), pointer: path });
      return null;
    }
    if ((node as { anchor?: string }).anchor) {
      problems.push({ code: 'YAML_ALIAS', message: `anchor &${(node as { anchor?: string }).anchor} is not allowed`, offset: start(node), pointer: path });
    }
    if ((node as { tag?: string }).tag && !isCollectionTagImplicit(node)) {
      problems.push({ code: 'YAML_TAG', message: `tag ${(node as { tag?: string }).tag} is not allowed`, offset: start(node), pointer: path });
    }
    if (isScalar(node)) return scalarValue(node, path);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of (node as YAMLMap).items as Pair<Node, Node>[]) {
        const keyNode = pair.key;
        // A plain key is its text, as the fast reader takes it (`1.0:` is the key "1.0", `true:` the key "true").
        const key = isScalar(keyNode) ? (keyNode.type === 'PLAIN' && typeof keyNode.source === 'string' ? keyNode.source : keyNode.value) : undefined;
        if (typeof key !== 'string' && typeof key !== 'number') {
          problems.push({ code: 'YAML_SYNTAX', message: 'keys must be plain strings', offset: keyNode ? start(keyNode) : start(node), pointer: path });
          continue;
        }
        const k = String(key);
        const childPath = `${path}/${esc(k)}`;
        if (FORBIDDEN_KEYS.has(k)) {
          problems.push({ code: 'FORBIDDEN_KEY', message: `key '${k}' is not allowed`, offset: start(keyNode as Node), pointer: childPath });
          continue;
        }
        if (Object.hasOwn(out, k)) continue; // reported by the parser as DUPLICATE_KEY
        out[k] = build(pair.value, childPath, depth + 1);
        if (floatIntegral(pair.value)) markFloatKey(out, k);
      }
      return out;
    }
    if (isSeq(node)) {
      const items = (node as YAMLSeq<Node>).items;
      const out = items.map((item, i) => build(item, `${path}/${i}`, depth + 1));
      if (items.some(floatIntegral)) markFloatList(out);
      return out;
    }
    return null;
  };

  const scalarValue = (node: Scalar, path: string): unknown => {
    const v = node.value;
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && node.type === 'PLAIN' && /^[-+]?\d+$/.test(String(node.source))) {
      problems.push({
        code: 'VALUE_RANGE',
        message: `integer ${String(node.source)} is beyond 2^53 and would lose precision: quote it`,
        offset: start(node),
        pointer: path,
      });
    }
    if (v instanceof Date || typeof v === 'bigint' || typeof v === 'symbol') return String(v);
    return v;
  };

  const value = doc.contents ? build(doc.contents as Node, '', 0) : null;
  // One report per kind of forbidden construct is enough to act on: an alias bomb has hundreds.
  const aliases = problems.filter((p) => p.code === 'YAML_ALIAS');
  if (aliases.length > 1) {
    const first = aliases[0]!;
    first.message += ` (and ${aliases.length - 1} more anchor${aliases.length === 2 ? '' : 's'} or alias${aliases.length === 2 ? '' : 'es'})`;
    for (let i = problems.length - 1; i >= 0; i--) if (problems[i]!.code === 'YAML_ALIAS' && problems[i] !== first) problems.splice(i, 1);
  }

  const locate = (pointer: string, key = false): number => {
    const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = doc.contents;
    let offset = node ? start(node as Node) : 0;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      if (isMap(node)) {
        const pair = (node as YAMLMap).items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === seg) as Pair<Node, Node> | undefined;
        if (!pair) return offset;
        const last = i === segments.length - 1;
        if (last && key && pair.key) return start(pair.key);
        node = pair.value;
        offset = node ? start(node as Node) : start(pair.key as Node);
      } else if (isSeq(node)) {
        const item = (node as YAMLSeq).items[Number(seg)];
        if (item == null) return offset;
        node = item;
        offset = start(item as Node);
      } else {
        return offset;
      }
    }
    return offset;
  };

  return { value, problems, locate, lineCounter };
}

function start(node: Node): number {
  return node.range?.[0] ?? 0;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function isCollectionTagImplicit(node: Node): boolean {
  // yaml sets `tag` only for explicit tags in the source; flow/block collections have none.
  return (node as { tag?: string }).tag === undefined;
}

/** "key 'name' appears twice (first at 2:1)" for the duplicate at `offset`. */
function duplicateMessage(root: unknown, offset: number, lc: LineCounter): string | undefined {
  let found: string | undefined;
  const visit = (node: unknown): void => {
    if (found) return;
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of (node as YAMLMap).items as Pair<Node, Node>[]) {
        if (!isScalar(pair.key)) continue;
        const k = String((pair.key as Scalar).value);
        const at = start(pair.key);
        if (seen.has(k) && at === offset) {
          const first = lc.linePos(seen.get(k)!);
          found = `key '${k}' appears twice (first at ${first.line}:${first.col})`;
          return;
        }
        if (!seen.has(k)) seen.set(k, at);
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of (node as YAMLSeq).items) visit(item);
    }
  };
  visit(root);
  return found;
}

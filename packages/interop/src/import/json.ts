import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';
import { ImportError } from '../errors.js';

/** A JSON document with the position of every value, for errors at `file:line:col`. */
export interface PositionedJson {
  value: unknown;
  /** Line and column (1-based) of the value at a JSON pointer, or of its nearest ancestor present. */
  at(pointer: string): { line: number; column: number };
}

/**
 * Parse JSON text keeping positions (JSON is YAML 1.2, and the `yaml` library keeps every node's range). Syntax
 * errors come back as `ImportError`s at their position.
 */
export function parseJson(text: string, file: string | undefined): { json?: PositionedJson; errors: ImportError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, strict: true, prettyErrors: false });
  const position = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // JSON itself decides what is JSON (YAML would take a trailing comma); V8 says where it stopped.
  let strict: Error | undefined;
  try {
    JSON.parse(text);
  } catch (error) {
    strict = error as Error;
  }
  if (strict && doc.errors.length === 0) {
    const at = /at position (\d+)/.exec(strict.message);
    const where = at ? position(Number(at[1])) : { line: 1, column: 1 };
    return { errors: [new ImportError(`not valid JSON: ${strict.message.replace(/ in JSON at position \d+.*$/, '')}`, { file, ...where, pointer: '' })] };
  }
  if (doc.errors.length > 0 || !/^\s*[[{]/.test(text)) {
    const first = doc.errors[0];
    const where = first ? position(first.pos[0]) : { line: 1, column: 1 };
    const message = first ? `not valid JSON: ${first.message.split('\n')[0]}` : 'not a JSON object or array';
    return { errors: [new ImportError(message, { file, ...where, pointer: '' })] };
  }
  const root = doc.contents as Node | null;
  const at = (pointer: string) => {
    let node: Node | null = root;
    let best = root;
    for (const raw of pointer.split('/').slice(1)) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (isMap(node)) node = (node.get(key, true) as Node | undefined) ?? null;
      else if (isSeq(node)) node = (node.get(Number(key), true) as Node | undefined) ?? null;
      else node = null;
      if (!node) break;
      best = node;
    }
    return position(best?.range?.[0] ?? 0);
  };
  return { json: { value: doc.toJS({ maxAliasCount: 0 }) as unknown, at }, errors: [] };
}

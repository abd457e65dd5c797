import { markFloatKey, markFloatList } from './float-marks.js';
import { FORBIDDEN_KEYS, type ParseLimits } from './limits.js';

/**
 * A fast reader for the YAML subset the canonical serializer writes (and that people usually write by hand):
 * block mappings and sequences, flow collections, plain and double-quoted scalars, comments.
 *
 * Why hand-written: the reference reader (eemeli/yaml) parses about 1.3–4 MB/s on these files and js-yaml about
 * 18 MB/s, while restoring thousands of publications at boot needs far more. This reader does no error reporting
 * of its own: on anything outside the subset, or anything wrong (duplicate key, forbidden key, deep nesting,
 * an integer too large to be exact), it gives up and returns `undefined`, and the caller falls back to the
 * reference reader, which reports the problem with its exact position. For input it accepts it must produce
 * exactly the value the reference reader builds; a property test holds the two together.
 */
export function parseYamlFast(text: string, limits: ParseLimits): unknown | undefined {
  try {
    const p = new FastParser(text, limits.maxDepth);
    return p.document();
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

const BAIL = Symbol('bail');
function bail(): never {
  throw BAIL;
}

const SPACE = 32;
const HASH = 35;
const NEWLINE = 10;
const CR = 13;
const TAB = 9;

class FastParser {
  private pos = 0;
  /** The content line `skipBlankLines` last stopped at, and its indentation: `lineIndent` need not count it again. */
  private indentLine = -1;
  private indentWidth = 0;
  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {}

  document(): unknown {
    this.skipBlankLines();
    if (this.pos >= this.s.length) return null;
    const indent = this.lineIndent();
    if (indent !== 0) bail();
    const v = this.blockNode(0, 0);
    this.skipBlankLines();
    if (this.pos < this.s.length) bail();
    return v;
  }

  // ----- lines

  /** Skip empty lines and comment-only lines; leaves pos at the start of a content line (or EOF). */
  private skipBlankLines(): void {
    const s = this.s;
    while (this.pos < s.length) {
      let p = this.pos;
      while (p < s.length && s.charCodeAt(p) === SPACE) p++;
      const c = s.charCodeAt(p);
      if (p >= s.length) {
        this.pos = p;
        return;
      }
      if (c === NEWLINE) {
        this.pos = p + 1;
      } else if (c === CR && s.charCodeAt(p + 1) === NEWLINE) {
        this.pos = p + 2;
      } else if (c === HASH) {
        const nl = s.indexOf('\n', p);
        this.pos = nl < 0 ? s.length : nl + 1;
      } else {
        if (c === TAB) bail();
        this.indentLine = this.pos;
        this.indentWidth = p - this.pos;
        return;
      }
    }
  }

  /** Indentation of the line starting at pos. */
  private lineIndent(): number {
    if (this.indentLine === this.pos) return this.indentWidth;
    let p = this.pos;
    while (this.s.charCodeAt(p) === SPACE) p++;
    return p - this.pos;
  }

  /** After a value on a line: only spaces and an optional comment may follow, then the line break. */
  private endOfLine(): void {
    const s = this.s;
    let p = this.pos;
    let sawSpace = p === 0 || s.charCodeAt(p - 1) === SPACE;
    while (s.charCodeAt(p) === SPACE) {
      p++;
      sawSpace = true;
    }
    const c = s.charCodeAt(p);
    if (p >= s.length) {
      this.pos = p;
      return;
    }
    if (c === HASH && sawSpace) {
      const nl = s.indexOf('\n', p);
      this.pos = nl < 0 ? s.length : nl + 1;
      return;
    }
    if (c === NEWLINE) {
      this.pos = p + 1;
      return;
    }
    if (c === CR && s.charCodeAt(p + 1) === NEWLINE) {
      this.pos = p + 2;
      return;
    }
    bail();
  }

  // ----- block structure

  /** A block node whose first line starts at pos (after indentation) with the given indent. */
  private blockNode(indent: number, depth: number): unknown {
    if (depth > this.maxDepth) bail();
    this.pos += indent;
    const s = this.s;
    if (s.charCodeAt(this.pos) === 45 /* - */ && this.isSeqIndicator(this.pos)) return this.blockSequence(indent, depth);
    return this.blockMapping(indent, depth);
  }

  private isSeqIndicator(p: number): boolean {
    const next = this.s.charCodeAt(p + 1);
    return next === SPACE || next === NEWLINE || next === CR || p + 1 >= this.s.length;
  }

  /** pos is at the first key (column `indent`). */
  private blockMapping(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const s = this.s;
    for (;;) {
      const key = this.mappingKey();
      if (forbidden(key) || Object.hasOwn(out, key)) bail();
      floatIntegral = false;
      const v = this.mappingValue(indent, depth);
      if (floatIntegral && typeof v === 'number') markFloatKey(out, key);
      out[key] = v;
      if (!this.nextEntry(indent)) return out;
      if (s.charCodeAt(this.pos) === 45 && this.isSeqIndicator(this.pos)) bail();
    }
  }

  /**
   * After an entry of a block collection at column `indent`: whether another entry follows at that column (pos then
   * at it), or the collection ends there (the end of the text, or a line indented less); a line indented more bails.
   */
  private nextEntry(indent: number): boolean {
    this.skipBlankLines();
    if (this.pos >= this.s.length) return false;
    const next = this.lineIndent();
    if (next < indent) return false;
    if (next > indent) bail();
    this.pos += next;
    return true;
  }

  /** Reads `key:` (plain or double-quoted key) and leaves pos after the colon. */
  private mappingKey(): string {
    const s = this.s;
    let key: string;
    if (s.charCodeAt(this.pos) === 34 /* " */) {
      key = this.doubleQuoted();
      if (s.charCodeAt(this.pos) !== 58 /* : */) bail();
      this.pos++;
    } else {
      const start = this.pos;
      let p = start;
      for (;;) {
        const c = s.charCodeAt(p);
        if (p >= s.length || c === NEWLINE || c === CR) bail();
        if (c === 58 && (s.charCodeAt(p + 1) === SPACE || s.charCodeAt(p + 1) === NEWLINE || s.charCodeAt(p + 1) === CR || p + 1 >= s.length)) break;
        if (c === HASH && s.charCodeAt(p - 1) === SPACE) bail();
        p++;
      }
      key = s.slice(start, p);
      if (!isSimplePlain(key)) bail();
      this.pos = p + 1;
    }
    const c = s.charCodeAt(this.pos);
    if (!(c === SPACE || c === NEWLINE || c === CR || this.pos >= s.length)) bail();
    return key;
  }

  /** After `key:`: an inline value to the end of the line, or a nested block on the following lines. */
  private mappingValue(indent: number, depth: number): unknown {
    const s = this.s;
    while (s.charCodeAt(this.pos) === SPACE) this.pos++;
    const c = s.charCodeAt(this.pos);
    if (this.pos >= s.length || c === NEWLINE || c === CR || c === HASH) {
      this.endOfLine();
      this.skipBlankLines();
      if (this.pos >= s.length) return null;
      const next = this.lineIndent();
      if (next > indent) return this.blockNode(next, depth + 1);
      if (next === indent && s.charCodeAt(this.pos + next) === 45 && this.isSeqIndicator(this.pos + next)) {
        return this.blockNode(next, depth + 1);
      }
      return null;
    }
    const v = this.inlineValue(depth + 1);
    this.endOfLine();
    // A deeper line after an inline value would be a multi-line plain scalar or an error: not ours to judge.
    this.skipBlankLines();
    if (this.pos < s.length && this.lineIndent() > indent) bail();
    return v;
  }

  /** pos at `-` of the first item (column `indent`). */
  private blockSequence(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    const s = this.s;
    for (;;) {
      this.pos++; // '-'
      let p = this.pos;
      while (s.charCodeAt(p) === SPACE) p++;
      const c = s.charCodeAt(p);
      if (p >= s.length || c === NEWLINE || c === CR || c === HASH) bail(); // `-` alone then a nested block: rare
      this.pos = p;
      if (depth + 1 > this.maxDepth) bail();
      if (c === 91 /* [ */ || c === 123 /* { */ || c === 34 /* " */ || !this.lineHasKey()) {
        floatIntegral = false;
        const v = this.inlineValue(depth + 1);
        if (floatIntegral && typeof v === 'number') markFloatList(out);
        out.push(v);
        this.endOfLine();
      } else {
        out.push(this.blockMapping(this.column(), depth + 1));
      }
      if (!this.nextEntry(indent)) return out;
      if (!(s.charCodeAt(this.pos) === 45 && this.isSeqIndicator(this.pos))) {
        // Back to the parent mapping at the same indent (`key:\n- a\nnext: 1`): rewind to line start.
        this.pos -= indent;
        return out;
      }
    }
  }

  private column(): number {
    const lineStart = this.s.lastIndexOf('\n', this.pos - 1) + 1;
    return this.pos - lineStart;
  }

  /** Does the rest of this line start with a plain `key: ` (so the sequence item is a mapping)? */
  private lineHasKey(): boolean {
    const s = this.s;
    for (let p = this.pos; p < s.length; p++) {
      const c = s.charCodeAt(p);
      if (c === NEWLINE || c === CR) return false;
      if (c === 58 && (s.charCodeAt(p + 1) === SPACE || s.charCodeAt(p + 1) === NEWLINE || p + 1 >= s.length)) return true;
      if (c === HASH && s.charCodeAt(p - 1) === SPACE) return false;
      if (c === 123 || c === 91 || c === 34 || c === 39) return false;
    }
    return false;
  }

  // ----- values on a line

  private inlineValue(depth: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    if (c === 91 || c === 123) return this.flow(depth);
    if (c === 34) return this.doubleQuoted();
    // Plain scalar to the end of the line or a comment.
    const start = this.pos;
    let p = start;
    while (p < s.length) {
      const d = s.charCodeAt(p);
      if (d === NEWLINE || d === CR) break;
      if (d === HASH && s.charCodeAt(p - 1) === SPACE) break;
      if (d === TAB) bail();
      p++;
    }
    let end = p;
    while (end > start && s.charCodeAt(end - 1) === SPACE) end--;
    const text = s.slice(start, end);
    this.pos = end;
    if (!isSimplePlain(text)) bail();
    return resolvePlain(text);
  }

  private doubleQuoted(): string {
    const s = this.s;
    const start = this.pos;
    let p = start + 1;
    for (;;) {
      if (p >= s.length) bail();
      const c = s.charCodeAt(p);
      if (c === 34) break;
      if (c === NEWLINE || c === CR) bail(); // folded multi-line strings: leave to the reference reader
      if (c === 92 /* \ */) {
        const e = s[p + 1];
        if (e === undefined || !'"\\/bfnrtu'.includes(e)) bail(); // YAML-only escapes
        p += 2;
        continue;
      }
      if (c < 32 && c !== TAB) bail();
      p++;
    }
    this.pos = p + 1;
    try {
      return JSON.parse(s.slice(start, p + 1)) as string;
    } catch {
      return bail();
    }
  }

  private skipFlowSpace(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === SPACE || c === NEWLINE || c === CR) this.pos++;
      else if (c === HASH && (s.charCodeAt(this.pos - 1) === SPACE || s.charCodeAt(this.pos - 1) === NEWLINE)) {
        const nl = s.indexOf('\n', this.pos);
        if (nl < 0) bail();
        this.pos = nl + 1;
      } else if (c === TAB) bail();
      else return;
    }
  }

  /** A flow collection at pos; `remember`: a long list may be one read before (not for lists inside lists). */
  private flow(depth: number, remember = true): unknown {
    if (depth > this.maxDepth) bail();
    const s = this.s;
    const open = s.charCodeAt(this.pos);
    if (open === 91 && remember) {
      const known = this.knownList(depth);
      if (known !== undefined) return known;
    }
    this.pos++;
    if (open === 91) return this.flowSequence(depth);
    const out: Record<string, unknown> = {};
    if (this.closing(125)) return out;
    for (;;) {
      this.skipFlowSpace();
      const key = this.flowItem(depth + 1, true);
      if (typeof key !== 'string') bail();
      if (forbidden(key) || Object.hasOwn(out, key)) bail();
      this.skipFlowSpace();
      if (s.charCodeAt(this.pos) !== 58) bail();
      this.pos++;
      this.skipFlowSpace();
      floatIntegral = false;
      const v = this.flowItem(depth + 1, false);
      if (floatIntegral && typeof v === 'number') markFloatKey(out, key);
      out[key] = v;
      if (this.afterItem(125)) return out;
    }
  }

  /** The items of a flow sequence, pos after its `[`. */
  private flowSequence(depth: number): unknown[] {
    const out: unknown[] = [];
    if (this.closing(93)) return out;
    let marked = false;
    for (;;) {
      this.skipFlowSpace();
      floatIntegral = false;
      const v = this.flowItem(depth + 1, false);
      if (floatIntegral && !marked && typeof v === 'number') {
        markFloatList(out);
        marked = true;
      }
      out.push(v);
      if (this.afterItem(93)) return out;
    }
  }

  /** Whether the flow collection ends at pos (its `close` char, after flow space): if so, pos after it. */
  private closing(close: number): boolean {
    this.skipFlowSpace();
    if (this.s.charCodeAt(this.pos) !== close) return false;
    this.pos++;
    return true;
  }

  /** After a flow item: true when the collection ends (`close`, after an optional trailing comma), false after a comma before another item; anything else bails. */
  private afterItem(close: number): boolean {
    this.skipFlowSpace();
    const c = this.s.charCodeAt(this.pos);
    this.pos++;
    if (c === close) return true;
    if (c !== 44) bail();
    return this.closing(close);
  }

  /**
   * A long flow sequence of plain scalars read before (the same text, in this file or an earlier one): the list
   * read then, shared. Every cube of a model run carries the same level heights, so each is read once. Only lists
   * without quotes, mappings or comments, whose text alone decides their value; `undefined` otherwise (and pos is
   * left at the `[`). A list read for the first time is remembered.
   */
  private knownList(depth: number): unknown[] | undefined {
    const s = this.s;
    const start = this.pos;
    const limit = Math.min(s.length, start + KNOWN_LIST_MAX);
    let level = 0;
    let height = 0;
    let hash = HASH_SEED;
    let p = start;
    for (; p < limit; p++) {
      const c = s.charCodeAt(p);
      hash = Math.imul(hash ^ c, 16777619);
      if (c === 91) {
        level++;
        if (level > height) height = level;
      } else if (c === 93) {
        if (--level === 0) break;
      } else if (c === 34 || c === 39 || c === 123 || c === 125 || c === HASH || c === TAB) {
        return undefined;
      }
    }
    const end = p + 1;
    if (level !== 0 || end - start < KNOWN_LIST_MIN) return undefined;
    if (depth + height - 1 > this.maxDepth) return undefined;
    const known = knownLists.get(hash);
    if (known !== undefined) {
      for (const entry of known) {
        if (entry.text.length === end - start && s.startsWith(entry.text, start)) {
          this.pos = end;
          return entry.list;
        }
      }
    }
    this.pos = start + 1;
    const list = this.flowSequence(depth);
    if (this.pos === end) remember(hash, s, start, end, list);
    return list;
  }

  /**
   * A number in a flow collection written as the canonical writer writes numbers (`-12`, `0.5`, `1e-7`, directly
   * followed by `,`, `]` or `}`), read without the general plain-scalar path: long value lists are mostly that.
   * The same value `resolvePlain` gives; `undefined` (pos unchanged) for anything else.
   */
  private flowNumber(): number | undefined {
    const s = this.s;
    const start = this.pos;
    let p = start;
    let c = s.charCodeAt(p);
    if (c === 45 || c === 43) c = s.charCodeAt(++p);
    let digits = 0;
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++p);
    }
    let float = false;
    if (c === 46) {
      float = true;
      c = s.charCodeAt(++p);
      while (c >= 48 && c <= 57) {
        digits++;
        c = s.charCodeAt(++p);
      }
    }
    if (digits === 0) return undefined;
    if (c === 101 || c === 69) {
      let q = p + 1;
      let d = s.charCodeAt(q);
      if (d === 45 || d === 43) d = s.charCodeAt(++q);
      const first = q;
      while (d >= 48 && d <= 57) d = s.charCodeAt(++q);
      if (q === first) return undefined;
      float = true;
      p = q;
      c = d;
    }
    if (!(c === 44 || c === 93 || c === 125)) return undefined;
    const value = Number(s.slice(start, p));
    if (!float && !Number.isSafeInteger(value)) bail();
    if (float && Number.isInteger(value)) floatIntegral = true;
    this.pos = p;
    return value;
  }

  /** A value inside a flow collection; keys are returned unresolved (always strings). */
  private flowItem(depth: number, isKey: boolean): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    if (c === 91 || c === 123) {
      if (isKey) bail();
      return this.flow(depth, false);
    }
    if (c === 34) return this.doubleQuoted();
    if (!isKey && ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) {
      const n = this.flowNumber();
      if (n !== undefined) return n;
    }
    const start = this.pos;
    let p = start;
    while (p < s.length) {
      const d = s.charCodeAt(p);
      if (d === 44 || d === 93 || d === 125 || d === NEWLINE || d === CR) break;
      if (d === 58 && (s.charCodeAt(p + 1) === SPACE || s.charCodeAt(p + 1) === 44 || s.charCodeAt(p + 1) === 125 || s.charCodeAt(p + 1) === 93)) break;
      if (d === HASH && s.charCodeAt(p - 1) === SPACE) bail();
      if (d === TAB || d === 91 || d === 123) bail();
      p++;
    }
    const stop = s.charCodeAt(p);
    let end = p;
    while (end > start && s.charCodeAt(end - 1) === SPACE) end--;
    const text = s.slice(start, end);
    this.pos = end;
    if (stop === NEWLINE || stop === CR) {
      // A plain scalar continuing on the next line folds into one string: leave that to the reference reader.
      let q = p;
      while (q < s.length && (s.charCodeAt(q) === SPACE || s.charCodeAt(q) === NEWLINE || s.charCodeAt(q) === CR)) q++;
      const n = s.charCodeAt(q);
      if (!(n === 44 || n === 93 || n === 125 || n === 58)) bail();
    }
    if (text.length === 0) bail();
    if (!isSimplePlain(text)) bail();
    return isKey ? text : resolvePlain(text);
  }
}

/** Flow sequences shorter than this (in characters) are read each time: remembering them costs more. */
const KNOWN_LIST_MIN = 200;
/** Nor longer ones than this: looking for their end would cost as much as reading them. */
const KNOWN_LIST_MAX = 1 << 20;
/** Remembered lists hold at most this many characters of text between them; then the memory starts again. */
const KNOWN_LISTS_MAX_CHARS = 16 * 1024 * 1024;
/** A per-process seed for the texts' hash (FNV-1a), so that a file cannot be made of lists that all collide. */
const HASH_SEED = (2166136261 ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
/** Lists remembered per hash: a few at most (collisions are rare; a file made of them is not worth remembering). */
const KNOWN_PER_HASH = 4;

/** Remembered lists by the hash of their text. */
const knownLists = new Map<number, { text: string; list: unknown[] }[]>();
let knownChars = 0;
const copier = { encoder: new TextEncoder(), decoder: new TextDecoder() };

function remember(hash: number, s: string, start: number, end: number, list: unknown[]): void {
  const entries = knownLists.get(hash) ?? [];
  if (entries.length >= KNOWN_PER_HASH) return;
  if (knownChars + (end - start) > KNOWN_LISTS_MAX_CHARS) {
    knownLists.clear();
    knownChars = 0;
  }
  // A copy of the text, not a slice: a slice would keep the whole file it came from alive.
  const text = copier.decoder.decode(copier.encoder.encode(s.slice(start, end)));
  entries.push({ text, list });
  knownLists.set(hash, entries);
  knownChars += text.length;
}

/** Lengths of the forbidden keys: a key of another length needs no look-up in FORBIDDEN_KEYS. */
const FORBIDDEN_LENGTHS = new Set([...FORBIDDEN_KEYS].map((k) => k.length));

/** `FORBIDDEN_KEYS.has(key)`, its length checked first: most keys are not even hashed for it. */
function forbidden(key: string): boolean {
  return FORBIDDEN_LENGTHS.has(key.length) && FORBIDDEN_KEYS.has(key);
}

/** Characters that may not start a plain scalar here: ? : , [ ] { } # & * ! | > ' " % @ ` (by char code). */
const INDICATORS = new Uint8Array(128);
for (const ch of '?:,[]{}#&*!|>\'"%@`') INDICATORS[ch.charCodeAt(0)] = 1;

/**
 * Plain scalars this reader takes: no leading indicator, no leading `- `, `---` or `...`, no `: `, ` #` or tab
 * inside, no trailing colon. One pass over the characters: it runs for every key and value of a file, and four
 * `includes`/`endsWith` calls on each were 15 % of reading a 60-cube file.
 */
export function isSimplePlain(t: string): boolean {
  const n = t.length;
  if (n === 0) return false;
  const c = t.charCodeAt(0);
  if (c < 128 && INDICATORS[c] === 1) return false;
  if (c === 45 /* - */ && (n === 1 || t.charCodeAt(1) === SPACE)) return false;
  // `---` and `...` (document markers).
  if ((c === 45 || c === 46) && n >= 3 && t.charCodeAt(1) === c && t.charCodeAt(2) === c) return false;
  if (t.charCodeAt(n - 1) === 58 /* : */) return false;
  for (let i = 0; i < n; i++) {
    const d = t.charCodeAt(i);
    if (d === TAB) return false;
    if (d === 58 /* : */) {
      if (t.charCodeAt(i + 1) === SPACE) return false;
    } else if (d === SPACE && t.charCodeAt(i + 1) === HASH) {
      return false;
    }
  }
  return true;
}

const INT = /^[-+]?[0-9]+$/;

/** Set by `resolvePlain` when it reads an integral number written as a float (`1.0`): see float-marks.ts. */
let floatIntegral = false;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core-schema resolution, as the reference reader does it (`0x`/`0o` forms are left to it). */
function resolvePlain(t: string): unknown {
  const c = t.charCodeAt(0);
  const numberish = (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
  if (numberish) {
    if (INT.test(t)) {
      const n = Number(t);
      if (!Number.isSafeInteger(n)) bail();
      return n;
    }
    if (FLOAT.test(t)) {
      const n = Number(t);
      if (Number.isInteger(n)) floatIntegral = true;
      return n;
    }
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(t)) return t.charCodeAt(0) === 45 ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(t)) return NaN;
    if (/^0[xo]/.test(t)) bail();
    return t;
  }
  switch (t) {
    case 'null':
    case 'Null':
    case 'NULL':
    case '~':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  return t;
}

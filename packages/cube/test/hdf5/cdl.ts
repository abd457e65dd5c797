/**
 * Test oracle: what `ncdump` (netCDF-C, Debian's netcdf-bin) says a file holds, parsed from its CDL output.
 * Only what ncdump prints for the files under test is handled: dimensions, variables, attributes (with ncdump's
 * type suffixes), the data section of `ncdump -v`, and user-defined types and subgroups (skipped).
 */
import { execFileSync } from 'node:child_process';
import { CDL_SUFFIX_TYPES, isBuiltinType, type CdlDimension, type CdlType, type CdlVariableOf } from '../helpers/cdl-types.js';

export { CDL_DTYPES, DEFAULT_FILL, isBuiltinType, type CdlType } from '../helpers/cdl-types.js';

export type CdlValue = number | bigint | string | null;

export interface CdlAttribute {
  /** A user-defined type name for compound/enum/... attributes. */
  type: CdlType | string;
  values: CdlValue[];
}

export type CdlVariable = CdlVariableOf<CdlType | string, CdlAttribute>;

export interface CdlFile {
  dimensions: CdlDimension[];
  variables: CdlVariable[];
  attributes: Map<string, CdlAttribute>;
  /** `ncdump -v` values, flattened row-major; `null` where ncdump prints `_` (the fill value). */
  data: Map<string, CdlValue[]>;
  /** Names of user-defined types. */
  types: string[];
  groups: string[];
}

interface Token {
  kind: 'word' | 'string' | 'punct' | 'comment';
  text: string;
  /** Whitespace precedes the token: ncdump writes `data :attr` for a variable named `data`. */
  spaced: boolean;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '\\': '\\', '"': '"', "'": "'" };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      tokens.push({ kind: 'comment', text: text.slice(i + 2, stop).trim(), spaced });
      i = stop;
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (text[i] !== '"') {
        if (text[i] === '\\') {
          const e = text[i + 1];
          if (/[0-7]/.test(e)) {
            const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
            s += String.fromCharCode(parseInt(oct, 8));
            i += 1 + oct.length;
          } else {
            s += ESCAPES[e] ?? e;
            i += 2;
          }
        } else {
          s += text[i++];
        }
      }
      i++;
      tokens.push({ kind: 'string', text: s, spaced });
    } else if ('{}()=,;:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, spaced });
      i++;
    } else {
      const m = /^[^\s{}()=,;:"]+/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], spaced });
      i += m[0].length;
    }
    spaced = false;
  }
  return tokens;
}

/** A number as ncdump prints it, typed by its suffix (`s` short, `UB` ubyte, `LL` int64, `f` float, ...). */
export function parseCdlNumber(word: string): { type: CdlType; value: number | bigint } {
  const m = /^(.*?)(ULL|LL|UB|US|U|B|S|F)?$/i.exec(word)!;
  const [, body, suffix = ''] = m;
  const real = (s: string) => (/^-?Infinity$/.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s));
  const type = CDL_SUFFIX_TYPES[suffix.toUpperCase()];
  if (type === undefined) return /[.eEN]|Infinity/.test(body) ? { type: 'double', value: real(body) } : { type: 'int', value: Number(body) };
  if (type === 'uint64' || type === 'int64') return { type, value: BigInt(body) };
  return { type, value: type === 'float' ? real(body) : Number(body) };
}

/** A data value of a variable of type `type` (known from its declaration). */
function dataValue(word: string, type: string): CdlValue {
  if (word === '_') return null;
  if (type === 'int64' || type === 'uint64') return BigInt(word);
  if (!isBuiltinType(type)) return word;
  const v = word === 'NaN' || word === 'NaNf' ? NaN : Number(word.replace(/f$/, ''));
  return Number.isNaN(v) && !word.startsWith('NaN') ? word : v;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token | undefined {
    let j = this.i;
    let k = offset;
    for (;;) {
      while (this.tokens[j]?.kind === 'comment') j++;
      if (k === 0) return this.tokens[j];
      j++;
      k--;
    }
  }

  private next(): Token {
    while (this.tokens[this.i]?.kind === 'comment') this.i++;
    const t = this.tokens[this.i++];
    if (!t) throw new Error('unexpected end of CDL');
    return t;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new Error(`expected '${text}', got '${t.text}'`);
  }

  private comment(): string | undefined {
    const t = this.tokens[this.i];
    return t?.kind === 'comment' ? t.text : undefined;
  }

  /** `dimensions:` style section keyword: the word and a colon right after it. */
  private atSection(): string | undefined {
    const w = this.peek();
    const colon = this.peek(1);
    if (w?.kind === 'word' && colon?.text === ':' && !colon.spaced && ['types', 'dimensions', 'variables', 'data', 'group'].includes(w.text)) {
      return w.text;
    }
    return undefined;
  }

  parse(): CdlFile {
    const out: CdlFile = { dimensions: [], variables: [], attributes: new Map(), data: new Map(), types: [], groups: [] };
    this.expect('netcdf');
    this.next();
    this.expect('{');
    while (this.peek()?.text !== '}') {
      const section = this.atSection();
      if (!section) throw new Error(`unexpected '${this.peek()?.text}'`);
      this.next();
      this.next();
      if (section === 'types') this.types(out);
      else if (section === 'dimensions') this.dimensions(out);
      else if (section === 'variables') this.variables(out);
      else if (section === 'data') this.data(out);
      else {
        out.groups.push(this.next().text);
        this.skipBlock();
      }
    }
    return out;
  }

  private skipBlock(): void {
    this.expect('{');
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.text === '{' && t.kind === 'punct') depth++;
      if (t.text === '}' && t.kind === 'punct') depth--;
    }
  }

  private types(out: CdlFile): void {
    while (!this.atSection()) {
      // `compound name { ... };`, `byte enum name {...} ;`, `opaque(4) name ;`, `int(*) name ;`
      const words: string[] = [];
      while (this.peek()?.text !== ';' && this.peek()?.text !== '{') words.push(this.next().text);
      if (this.peek()?.text === '{') this.skipBlock();
      this.expect(';');
      out.types.push(words.filter((w) => !['(', ')', '*'].includes(w)).at(-1)!);
    }
  }

  private dimensions(out: CdlFile): void {
    while (!this.atSection()) {
      const name = this.next().text;
      this.expect('=');
      const size = this.next().text;
      this.expect(';');
      if (size === 'UNLIMITED') {
        const current = /\((\d+) currently\)/.exec(this.comment() ?? '');
        out.dimensions.push({ name, size: current ? Number(current[1]) : 0, unlimited: true });
      } else {
        out.dimensions.push({ name, size: Number(size), unlimited: false });
      }
    }
  }

  private variables(out: CdlFile): void {
    const byName = new Map<string, CdlVariable>();
    while (!this.atSection() && this.peek()?.text !== '}') {
      const first = this.next();
      // Attribute: [type] [var] ':' att '=' values ';'   Variable: type name ['(' dims ')'] ';'
      let type: string | undefined;
      let owner: string | undefined;
      // CDL keywords cannot name variables, so a type name first means a typed attribute or a declaration.
      const isType = isBuiltinType(first.text) || out.types.includes(first.text);
      if (first.text === ':') {
        owner = '';
      } else if (isType && this.peek()?.text === ':') {
        type = first.text;
        this.next();
        owner = '';
      } else if (isType && this.peek(1)?.text === ':') {
        type = first.text;
        owner = this.next().text;
        this.next();
      } else if (this.peek()?.text === ':') {
        owner = first.text;
        this.next();
      } else {
        const name = this.next().text;
        const dims: string[] = [];
        if (this.peek()?.text === '(') {
          this.next();
          while (this.peek()?.text !== ')') {
            const t = this.next();
            if (t.text !== ',') dims.push(t.text);
          }
          this.next();
        }
        this.expect(';');
        const v: CdlVariable = { name, type: first.text, dims, attributes: new Map() };
        out.variables.push(v);
        byName.set(name, v);
        continue;
      }
      const attName = this.next().text;
      this.expect('=');
      const attr = this.attributeValues(type);
      (owner === '' ? out.attributes : byName.get(owner)!.attributes).set(attName, attr);
    }
  }

  /** The tokens up to the `;` that ends this statement (one inside braces does not), which is consumed. */
  private statement(): Token[] {
    const tokens: Token[] = [];
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.text === ';' && t.kind === 'punct' && depth === 0) return tokens;
      if (t.text === '{') depth++;
      if (t.text === '}') depth--;
      tokens.push(t);
    }
  }

  private attributeValues(declared: string | undefined): CdlAttribute {
    const tokens = this.statement();
    if (declared !== undefined && !isBuiltinType(declared)) return { type: declared, values: [] };
    const items = tokens.filter((t) => t.text !== ',' || t.kind !== 'punct');
    if (declared === 'string') return { type: 'string', values: items.map((t) => t.text) };
    if (items.every((t) => t.kind === 'string')) return { type: 'char', values: [items.map((t) => t.text).join('')] };
    const parsed = items.map((t) => parseCdlNumber(t.text));
    return { type: parsed[0].type, values: parsed.map((p) => p.value) };
  }

  private data(out: CdlFile): void {
    const types = new Map<string, string>();
    for (const v of out.variables) types.set(v.name, v.type);
    while (!this.atSection() && this.peek()?.text !== '}') {
      const name = this.next().text;
      this.expect('=');
      const values: CdlValue[] = this.statement()
        .filter((t) => t.kind !== 'punct')
        .map((t) => (t.kind === 'string' ? t.text : dataValue(t.text, types.get(name) ?? 'double')));
      out.data.set(name, values);
    }
  }
}

export function parseCdl(text: string): CdlFile {
  return new Parser(tokenize(text)).parse();
}

/** `ncdump -h` of `path`, with floats and doubles at full precision. */
export function ncdumpHeader(path: string): CdlFile {
  return parseCdl(execFileSync('ncdump', ['-h', '-p', '9,17', path], { encoding: 'utf8' }));
}

/** `ncdump -v` values of `variables`, at full precision. */
export function ncdumpValues(path: string, variables: string[]): Map<string, CdlValue[]> {
  const text = execFileSync('ncdump', ['-p', '9,17', '-v', variables.join(','), path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parseCdl(text).data;
}

/** Write `cdl` as a NetCDF-4 file with Debian's `ncgen`. */
export function ncgen4(cdlPath: string, outPath: string): void {
  execFileSync('ncgen', ['-4', '-o', outPath, cdlPath]);
}

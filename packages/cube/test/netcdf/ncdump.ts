/**
 * The reference reading: Debian's `ncdump` (netcdf-bin), parsed from its CDL output. Floats are printed with
 * `-p 9,17`, enough digits to round-trip float32 and float64 exactly.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CDL_SUFFIX_TYPES, type CdlDimension, type CdlType as AnyCdlType, type CdlVariableOf } from '../helpers/cdl-types.js';

const run = promisify(execFile);

/** The types of netCDF classic and 64-bit files (no `string`). */
export type CdlType = Exclude<AnyCdlType, 'string'>;

/** A number or bigint value, a string (char data), or null where ncdump printed `_` (the fill value). */
export type CdlValue = number | bigint | string | null;

export interface CdlAttribute {
  type: CdlType;
  /** Text for char attributes; numbers (bigint for 64-bit integers) otherwise. */
  value: string | (number | bigint)[];
}

export type CdlVariable = CdlVariableOf<CdlType, CdlAttribute>;

export interface CdlHeader {
  dimensions: CdlDimension[];
  variables: CdlVariable[];
  attributes: Map<string, CdlAttribute>;
}

interface Token {
  kind: 'string' | 'word' | 'fill';
  text: string;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '"': '"', "'": "'", '\\': '\\', '?': '?' };

/** Tokens of a CDL value list (strings unescaped, numbers as written, `_`), up to the terminating `;`. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/[\s,;]/.test(ch)) {
      i++;
    } else if (ch === '"') {
      const bytes: number[] = [];
      i++;
      while (text[i] !== '"') {
        if (text[i] === '\\') {
          const next = text[i + 1];
          const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
          if (octal) {
            bytes.push(parseInt(octal[0], 8));
            i += 1 + octal[0].length;
          } else {
            bytes.push(...Buffer.from(ESCAPES[next] ?? next, 'utf8'));
            i += 2;
          }
        } else {
          const cp = text.codePointAt(i)!;
          const s = String.fromCodePoint(cp);
          bytes.push(...Buffer.from(s, 'utf8'));
          i += s.length;
        }
      }
      i++;
      tokens.push({ kind: 'string', text: Buffer.from(bytes).toString('utf8') });
    } else {
      const m = /^[^\s,;]+/.exec(text.slice(i))!;
      tokens.push(m[0] === '_' ? { kind: 'fill', text: '_' } : { kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** The type ncdump's number suffix gives an attribute value. */
function suffixType(word: string): CdlType {
  const m = /(ULL|LL|UB|US|U|b|s|f)$/.exec(word.replace(/^-?(NaN|Infinity)/, ''));
  const suffix = /^-?(NaN|Infinity)f$/.test(word) ? 'f' : m?.[1];
  return (suffix && CDL_SUFFIX_TYPES[suffix.toUpperCase()]) || (/[.eE]|NaN|Infinity/.test(word) ? 'double' : 'int');
}

/** A number as ncdump prints it (suffix allowed), as the value of a `type`. */
export function parseNumber(word: string, type: CdlType): number | bigint {
  const bare = word.replace(/(ULL|LL|UB|US|U|b|s)$/, '').replace(/^(-?(?:NaN|Infinity))f$/, '$1').replace(/(\d\.?)f$/, '$1');
  if (type === 'int64' || type === 'uint64') return BigInt(bare);
  const n = Number(bare);
  return type === 'float' ? Math.fround(n) : n;
}

/** Split CDL into statements ending in `;` (outside strings), with comments dropped. */
function statements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      current += ch;
      if (ch === '\\') current += text[++i];
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      current += ch;
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (ch === ';') {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  return out;
}

async function ncdump(args: string[]): Promise<string> {
  const { stdout } = await run('ncdump', args, { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

function parseAttribute(valueText: string): CdlAttribute {
  const tokens = tokenize(valueText);
  if (tokens.every((t) => t.kind === 'string')) return { type: 'char', value: tokens.map((t) => t.text).join('') };
  const type = suffixType(tokens[0].text);
  return { type, value: tokens.map((t) => parseNumber(t.text, type)) };
}

/** `ncdump -h`, parsed: dimensions (with the current number of records), variables and attributes, in order. */
export async function ncdumpHeader(path: string): Promise<CdlHeader> {
  const text = await ncdump(['-h', '-p', '9,17', path]);
  const body = text.slice(text.indexOf('{') + 1, text.lastIndexOf('}'));
  const header: CdlHeader = { dimensions: [], variables: [], attributes: new Map() };
  const dimsAt = body.indexOf('dimensions:');
  const varsAt = body.indexOf('variables:');
  const dimText = dimsAt < 0 ? '' : body.slice(dimsAt + 'dimensions:'.length, varsAt < 0 ? undefined : varsAt);
  for (const line of dimText.split('\n').filter((l) => l.trim() !== '')) {
    // ncdump gives the number of records only in a comment: `time = UNLIMITED ; // (2 currently)`.
    const m = /^\s*(\S+)\s*=\s*(UNLIMITED|\d+)\s*;\s*(?:\/\/ \((\d+) currently\))?\s*$/.exec(line);
    if (!m) throw new Error(`cannot parse ncdump dimension line: ${line}`);
    const unlimited = m[2] === 'UNLIMITED';
    header.dimensions.push({ name: m[1], size: Number(unlimited ? m[3] : m[2]), unlimited });
  }
  const varText = varsAt < 0 ? body.slice(dimsAt < 0 ? 0 : dimText.length) : body.slice(varsAt + 'variables:'.length);
  for (const s of statements(varText)) {
    const att = /^([^\s:"]*):([^\s=]+)\s*=\s*([\s\S]*)$/.exec(s);
    if (att) {
      const target = att[1] === '' ? header.attributes : header.variables.find((v) => v.name === att[1])!.attributes;
      target.set(att[2], parseAttribute(att[3]));
      continue;
    }
    const v = /^(\w+)\s+([^\s(]+)\s*(?:\(([^)]*)\))?$/.exec(s);
    if (!v) throw new Error(`cannot parse ncdump variable line: ${s}`);
    header.variables.push({
      name: v[2],
      type: v[1] as CdlType,
      dims: v[3] ? v[3].split(',').map((d) => d.trim()) : [],
      attributes: new Map(),
    });
  }
  return header;
}

/**
 * The data of some variables, as `ncdump -v` prints it: numbers (bigint for 64-bit integer types), strings for
 * char variables (one per string), null for `_`.
 */
export async function ncdumpValues(path: string, names: string[], header?: CdlHeader): Promise<Map<string, CdlValue[]>> {
  const h = header ?? (await ncdumpHeader(path));
  const text = await ncdump(['-p', '9,17', '-v', names.join(','), path]);
  const data = text.slice(text.indexOf('\ndata:') + '\ndata:'.length, text.lastIndexOf('}'));
  const out = new Map<string, CdlValue[]>();
  for (const s of statements(data)) {
    const m = /^(\S+)\s*=\s*([\s\S]*)$/.exec(s);
    if (!m) throw new Error(`cannot parse ncdump data: ${s.slice(0, 80)}`);
    const type = h.variables.find((v) => v.name === m[1])!.type;
    out.set(
      m[1],
      tokenize(m[2]).map((t) => (t.kind === 'fill' ? null : t.kind === 'string' ? t.text : parseNumber(t.text, type))),
    );
  }
  return out;
}

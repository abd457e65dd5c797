/**
 * Python's text primitives that Iris's printout relies on. Python measures strings in code points, not UTF-16
 * units, so widths and clipping here do too.
 */

/** Python `len(text)`. */
export const pyLen = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** Python `text.ljust(width)`. */
export const ljust = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - pyLen(text)));

/** Python `text.rjust(width)`. */
export const rjust = (text: string, width: number): string => ' '.repeat(Math.max(0, width - pyLen(text))) + text;

// Python's str.isspace(): Unicode whitespace (bidi classes WS, B, S, or category Zs), plus the ASCII separators.
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

/**
 * Iris's `iris.util.clip_string`: cut `text` after `clipLength` characters, but at the next space if there is one
 * (so words are not cut), and mark the cut with `rider`.
 */
export function clipString(text: string, clipLength = 70, rider = '...'): string {
  const chars = Array.from(text);
  if (clipLength >= chars.length || clipLength <= 0) return text;
  if (PY_SPACE.test(chars[clipLength])) return chars.slice(0, clipLength).join('') + rider;
  const remainder = chars.slice(clipLength);
  const space = remainder.indexOf(' ');
  return chars.slice(0, clipLength).join('') + remainder.slice(0, Math.max(space, 0)).join('') + rider;
}

// Python's str.isprintable() is false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than the ASCII space.
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x5c) return '\\\\';
  if (code === 0x09) return '\\t';
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code === 0x20 || !NON_PRINTABLE.test(char)) return char;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** Python `repr(text)`: single quotes unless the text has a single quote and no double one. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) body += char === quote ? `\\${quote}` : escapeChar(char);
  return quote + body + quote;
}

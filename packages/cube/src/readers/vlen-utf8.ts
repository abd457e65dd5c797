const encoder = new TextEncoder();

/** Strings in numcodecs' VLenUTF8 encoding (one chunk of a `vlen-utf8` array): a count, then each length and its UTF-8 bytes. */
export function encodeVlenUtf8(strings: readonly (string | null | undefined)[]): Uint8Array {
  const encoded = strings.map((s) => encoder.encode(s ?? ''));
  const data = new Uint8Array(encoded.reduce((n, e) => n + 4 + e.length, 4));
  const view = new DataView(data.buffer);
  view.setUint32(0, encoded.length, true);
  let at = 4;
  for (const e of encoded) {
    view.setUint32(at, e.length, true);
    data.set(e, at + 4);
    at += 4 + e.length;
  }
  return data;
}

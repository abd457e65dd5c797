/** Whether stream id `a` (`<ms>-<n>`) comes after `b`. */
export function newerSeq(a: string, b: string): boolean {
  const [am, an] = a.split('-').map(Number);
  const [bm, bn] = b.split('-').map(Number);
  return am! > bm! || (am === bm && an! > bn!);
}

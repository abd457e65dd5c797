import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';

/** Error codes among `codes` that the README at `readme` has no table row for (a row that starts `| \`CODE\` |`). */
export async function undocumentedCodes(readme: URL, codes: Iterable<string>): Promise<string[]> {
  const text = await readFile(readme, 'utf8');
  return [...codes].filter((code) => !text.includes(`| \`${code}\` |`));
}

/**
 * The two tests every package's test/conventions.test.ts starts with: each of `errorCodes` has a row in the README
 * at `readme`, and the public surface (the sorted names of the package's `exports`) is what `surface` expects of
 * it; `surface` holds the caller's inline snapshot, so that the names stay in view in each package's own file.
 */
export function conventionTests(pkg: { readme: URL; errorCodes: Iterable<string>; exports: object }, surface: (names: string[]) => void): void {
  test('every error code is documented in the README', async () => {
    expect(await undocumentedCodes(pkg.readme, pkg.errorCodes)).toEqual([]);
  });
  test('the public surface', () => {
    surface(Object.keys(pkg.exports).sort());
  });
}

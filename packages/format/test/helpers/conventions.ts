import { readFile } from 'node:fs/promises';

/** Error codes among `codes` that the README at `readme` has no table row for (a row that starts `| \`CODE\` |`). */
export async function undocumentedCodes(readme: URL, codes: Iterable<string>): Promise<string[]> {
  const text = await readFile(readme, 'utf8');
  return [...codes].filter((code) => !text.includes(`| \`${code}\` |`));
}

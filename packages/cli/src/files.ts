import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The `.cube.md` files named by paths: files as given, folders searched recursively (skipping dot-folders). */
export async function findCubeFiles(paths: readonly string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) missing.push(p);
    else if (s.isDirectory()) files.push(...(await walk(p)));
    else files.push(p);
  }
  return { files, missing };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && e.name.endsWith('.cube.md')) out.push(p);
  }
  return out;
}

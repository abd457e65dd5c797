import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * tsx's ESM `register` API (its `exports['./esm/api'].import`), found from `from` as a bare `tsx` import would be.
 * A worker thread run from TypeScript sources imports it first: Node 20 does not apply an `--import tsx` loader to
 * a worker's entry module (the reduce helpers here, restore's parse workers).
 */
export function tsxEsmApi(from: string): string {
  const manifest = createRequire(from).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const entry = exports['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(manifest), entry)).href;
}

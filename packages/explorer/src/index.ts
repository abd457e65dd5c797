/**
 * The explorer as a server sees it: where the built page is, so `cubemark serve` can serve it at `/`.
 * The page itself (src/app) is browser code built by Vite (`pnpm --filter @cubemark/explorer build`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built page (`dist/`, holding `index.html` and `assets/`), with a trailing slash. */
export const explorerDist: string = fileURLToPath(new URL('../dist/', import.meta.url));

/** Whether the page was built (`dist/index.html` exists); serve a hint to build it otherwise. */
export function explorerBuilt(): boolean {
  return existsSync(`${explorerDist}index.html`);
}

/** What to answer at `/` when the page was not built. */
export const EXPLORER_NOT_BUILT =
  'The explorer page was not built. Run `pnpm --filter @cubemark/explorer build` (or `npm run build`) and reload.';

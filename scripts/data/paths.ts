/** Where the fixtures live, from the repository root. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');
/** The base the demo publications' source URIs are relative to. */
export const DEMO_DATA_BASE = FIXTURES_DIR;
export const GENERATED_DIR = join(FIXTURES_DIR, 'data', 'generated');
/** SHA-256 of every generated file, committed. */
export const MANIFEST_PATH = join(FIXTURES_DIR, 'data', 'generated.sha256');

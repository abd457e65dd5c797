/**
 * A Python 3 for the interop tests: the first of `CUBEMARK_PYTHON`, `/usr/bin/python3` (Debian's, where
 * python3-xarray and friends install) and `python3` that imports every module a test needs. Tests that need one
 * are skipped, saying which modules are missing, where there is none.
 */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's `python/` folder (the `cubemark` Python package), put on `PYTHONPATH`. */
export const PYTHON_PATH = fileURLToPath(new URL('../../../../python/', import.meta.url));

const cache = new Map<string, string | undefined>();

/** A Python executable that imports all of `modules`, or undefined. */
export function findPython(modules: readonly string[]): string | undefined {
  const key = modules.join(',');
  if (cache.has(key)) return cache.get(key);
  const candidates = [process.env.CUBEMARK_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  let found: string | undefined;
  for (const exe of candidates) {
    try {
      execFileSync(exe, ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { stdio: 'ignore', timeout: 60_000 });
      found = exe;
      break;
    } catch {
      // Not there, or a module is missing: try the next one.
    }
  }
  cache.set(key, found);
  return found;
}

/** Why a Python test is skipped: a message naming the modules. */
export function skipReason(modules: readonly string[]): string {
  return `skipped: no python3 that imports ${modules.join(', ')} (Debian: apt-get install ${modules.map((m) => `python3-${m === 'yaml' ? 'yaml' : m}`).join(' ')})`;
}

/** Run a Python script file with arguments; resolves to its stdout, rejects with its stderr. */
export async function runPython(exe: string, script: string, args: readonly string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<string> {
  try {
    const { stdout } = await run(exe, [script, ...args], {
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, PYTHONPATH: PYTHON_PATH, PYTHONDONTWRITEBYTECODE: '1', ...options.env },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${script} failed: ${e.stderr || e.message}`);
  }
}

export const PYTHON_SCRIPTS = fileURLToPath(new URL('../python/', import.meta.url));

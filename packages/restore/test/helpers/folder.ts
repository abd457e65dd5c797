import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh temporary folder for each test of the calling file: made before the test and handed to `use`, removed
 * after it once `cleanUp` has stopped what the test left running on it (a scheduler, a server, a checker).
 */
export function folderPerTest(prefix: string, use: (dir: string) => unknown, cleanUp?: () => unknown): void {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await use(dir);
  });
  afterEach(async () => {
    try {
      await cleanUp?.();
    } finally {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    }
  });
}

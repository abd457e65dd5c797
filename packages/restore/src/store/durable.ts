import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replace `path` so that a crash at any moment leaves either the old file or the new one, never a torn mix, and
 * so that once this resolves the new file survives power loss:
 *
 * 1. write a temporary file in the same folder (same file system, so the rename below is atomic);
 * 2. fsync it (its bytes and size are on disk before its name can point at them);
 * 3. rename it over `path` (atomic on POSIX: readers see the old or the new inode);
 * 4. fsync the folder (the rename itself — a directory entry — is on disk).
 *
 * Hand-written rather than write-file-atomic: that package needs Node 22 and does not fsync the folder, which is
 * the step that makes the rename survive a power cut.
 */
export async function writeFileDurably(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, temporaryName(basename(path)));
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await syncDir(dir);
}

/** fsync a folder, so entries created, renamed or removed in it are on disk. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `.<file>.<pid>.<random>.tmp`: hidden (never listed as a publication), and recognisable so a restart can remove
 * the leftovers of a write that a crash interrupted.
 */
export function temporaryName(file: string): string {
  return `.${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

export const TEMPORARY = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

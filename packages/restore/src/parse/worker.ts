// The worker-thread entry of the parse pool: one task is one store file. Kept to a single import of the format
// package (and the scheduler's dependency-free index module) so a worker starts quickly.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { checkFile, type CheckedFile } from './check.js';

export interface ParseTask {
  bytes: Uint8Array;
  file: string;
  name: string;
  /** See `CheckOptions.expectHash`. */
  expectHash?: string;
}

// Parsing is background work; answering requests is not. On Linux a thread has a nice value of its own: this
// worker's is raised so the main thread, which answers requests (and parses what a request waits for), gets a
// core as soon as it needs one, even while every core is parsing. /proc/thread-self names this thread's id.
// Elsewhere (or without /proc) this does nothing.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
} catch {
  // Not Linux, or not allowed: the worker runs at the process's priority.
}

export default function parseTask(task: ParseTask): CheckedFile {
  return checkFile(task.bytes, task.file, task.name, task);
}

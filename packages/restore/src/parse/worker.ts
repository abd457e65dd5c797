// The worker-thread entry of the parse pool: one task is one store file. Kept to a single import of the format
// package so a worker starts quickly.
import { checkFile, type CheckedFile } from './check.js';

export interface ParseTask {
  bytes: Uint8Array;
  file: string;
  name: string;
}

export default function parseTask(task: ParseTask): CheckedFile {
  return checkFile(task.bytes, task.file, task.name);
}

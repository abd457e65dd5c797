import { expect } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import type { ByteSource } from '../../src/bytes/types.js';
import { rejection } from './rejection.js';

/**
 * The byte-source contract for an object that does not exist: `stat` and `get` answer `undefined`, `getRange` fails
 * with `NOT_FOUND` naming `where` and the range. Returns that error, for what a backend adds to it.
 */
export async function expectAbsent(src: ByteSource, where: string, offset: number, length: number): Promise<ByteSourceError> {
  expect(await src.stat()).toBeUndefined();
  expect(await src.get()).toBeUndefined();
  const error = await rejection(src.getRange(offset, length));
  expect(error).toBeInstanceOf(ByteSourceError);
  expect(error.code).toBe('NOT_FOUND');
  expect(error.message).toContain(where);
  expect(error.message).toContain(`bytes ${offset}-${offset + length - 1}`);
  return error as ByteSourceError;
}

/** A read that failed after its retries: `READ_FAILED`, naming each of `parts` (URI, range, cause) and the attempts made. */
export async function expectGaveUp(read: Promise<unknown>, attempts: number, ...parts: string[]): Promise<ByteSourceError> {
  const error = await rejection(read);
  expect(error).toBeInstanceOf(ByteSourceError);
  expect(error.code).toBe('READ_FAILED');
  for (const part of parts) expect(error.message).toContain(part);
  expect(error.message).toContain(`gave up after ${attempts} attempts`);
  return error as ByteSourceError;
}

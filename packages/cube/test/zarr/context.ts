/**
 * A real source pool (what production passes as `PluginContext`, and the CF loader as its `pool`) that also logs
 * which objects were asked for, so tests can say exactly which Zarr keys a step touched.
 */
import type { ByteCounter, ByteSource } from '../../src/bytes/types.js';
import { createSourcePool, type ByteSourceOptions, type SourcePool } from '../../src/bytes/index.js';
import type { PluginContext } from '../../src/readers/types.js';

export interface LoggedRead {
  op: 'stat' | 'get' | 'getRange';
  uri: string;
  /** False when the object did not exist. */
  found: boolean;
}

export interface LoggedContext extends PluginContext, SourcePool {
  readonly log: LoggedRead[];
  readonly counter: ByteCounter;
  close(): Promise<void>;
}

export function loggedContext(options: ByteSourceOptions = {}): LoggedContext {
  const pool = createSourcePool(options);
  const log: LoggedRead[] = [];
  const wrap = (source: ByteSource): ByteSource => ({
    uri: source.uri,
    async stat(o) {
      const stat = await source.stat(o);
      log.push({ op: 'stat', uri: source.uri, found: stat !== undefined });
      return stat;
    },
    async get(o) {
      const data = await source.get(o);
      log.push({ op: 'get', uri: source.uri, found: data !== undefined });
      return data;
    },
    async getRange(offset, length, o) {
      try {
        const data = await source.getRange(offset, length, o);
        log.push({ op: 'getRange', uri: source.uri, found: true });
        return data;
      } catch (error) {
        log.push({ op: 'getRange', uri: source.uri, found: false });
        throw error;
      }
    },
    close: () => source.close(),
  });
  const open = (uri: string) => wrap(pool.open(uri));
  return {
    log,
    counter: pool.counter,
    open,
    openSource: open,
    close: () => pool.close(),
  };
}

/** Store keys (relative to `root`) of the logged reads that found an object, in order. */
export function keysFound(log: readonly LoggedRead[], root: string): string[] {
  return log.filter((r) => r.found).map((r) => relativeKey(r.uri, root));
}

/** Store keys of every logged read, found or not. */
export function keysAsked(log: readonly LoggedRead[], root: string): string[] {
  return log.map((r) => relativeKey(r.uri, root));
}

function relativeKey(uri: string, root: string): string {
  const prefix = root.replace(/\/+$/, '') + '/';
  if (!uri.startsWith(prefix)) throw new Error(`${uri} is outside the store ${root}`);
  return uri.slice(prefix.length);
}

/** Zarr metadata document names: what opening a dataset may read. */
export const METADATA_KEY = /(^|\/)(\.zarray|\.zattrs|\.zgroup|\.zmetadata|zarr\.json)$/;

/** The C-order values of a hyperslab of a C-order array: an independent reference for reads. */
export function sliceC<T>(values: ArrayLike<T>, shape: readonly number[], start: readonly number[], count: readonly number[]): T[] {
  const out: T[] = [];
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const visit = (axis: number, offset: number) => {
    if (axis === shape.length) {
      out.push(values[offset]);
      return;
    }
    for (let i = start[axis]; i < start[axis] + count[axis]; i += 1) visit(axis + 1, offset + i * strides[axis]);
  };
  visit(0, 0);
  return out;
}


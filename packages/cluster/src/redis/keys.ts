/**
 * Where the cluster keeps things in Redis, all under one prefix (default `cubemark:`), so several clusters can
 * share a Redis. The layout is documented in the README ("What Redis holds").
 */
export interface Keys {
  prefix: string;
  /** hash name → JSON `StoredMeta` (everything but the text) */
  meta: string;
  /** hash name → the `.cube.md` text, brotli-packed */
  text: string;
  /** hash name → JSON `{hash, size?, mtime?, etag?}`: what the store held when the record was written */
  listed: string;
  /** hash name → id of the change-stream entry of the name's last write (kept after a removal) */
  seq: string;
  /** hash name → the last fencing token handed out for the name */
  fence: string;
  /** hash name → JSON `{token, op}`: a write under way (left behind by a replica that died mid-write) */
  pending: string;
  /** stream of changes: `name`, `id` (absent: removed), or `op` (expect, expected) */
  changes: string;
  /** the lock of one name: `<token>:<owner>`, expiring */
  lock(name: string): string;
  /** the refresh lease: `<owner>`, expiring */
  lease: string;
  /** the time of the last full refresh from the store (absent: Redis lost its data, or never refreshed) */
  epoch: string;
  /** set of names a running refresh announced */
  restoring: string;
  /** hash id → JSON of each replica and worker, refreshed by a heartbeat */
  members: string;
  /** one cached answer (hash: `meta`, `body`) */
  result(key: string): string;
  /** zset of cached answers by last use; hash of their sizes; their total size */
  resultsLru: string;
  resultsSize: string;
  resultsBytes: string;
  /** hash name → JSON of what `persist` was asked for across the cluster */
  persisted: string;
  /** The KEYS of the record scripts for `name`. */
  record(name: string): [string, string, string, string, string, string, string, string];
  /** BullMQ's prefix (its keys live under `<prefix>bull:`) */
  bull: string;
}

export function keysFor(prefix = 'cubemark:'): Keys {
  return {
    prefix,
    meta: `${prefix}pub:meta`,
    text: `${prefix}pub:text`,
    listed: `${prefix}pub:listed`,
    seq: `${prefix}pub:seq`,
    fence: `${prefix}pub:fence`,
    pending: `${prefix}pub:pending`,
    changes: `${prefix}changes`,
    lock: (name) => `${prefix}lock:${name}`,
    lease: `${prefix}lease:refresh`,
    epoch: `${prefix}epoch`,
    restoring: `${prefix}restoring`,
    members: `${prefix}members`,
    result: (key) => `${prefix}result:${key}`,
    resultsLru: `${prefix}results:lru`,
    resultsSize: `${prefix}results:size`,
    resultsBytes: `${prefix}results:bytes`,
    persisted: `${prefix}persisted`,
    bull: `${prefix}bull`,
    record(name) {
      return [this.meta, this.text, this.listed, this.seq, this.pending, this.changes, this.fence, this.lock(name)];
    },
  };
}

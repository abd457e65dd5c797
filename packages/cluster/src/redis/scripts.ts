/**
 * The Lua scripts that make each registry write one atomic step in Redis. A write under a name's lock carries
 * the lock's fencing token: Redis refuses it (`FENCED`) if another replica took the name since, so a replica
 * paused past its lock's expiry can never overwrite a newer record. Writes of a refresh from the store hold no
 * lock: they apply only if no lock is held and the record is still the one the refresh compared against.
 */

/** KEYS: lock, fence. ARGV: name, ttl ms, owner. → the fencing token, or 0 if the name is locked. */
export const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('SET', KEYS[1], token .. ':' .. ARGV[3], 'PX', ARGV[2])
return token`;

/** KEYS: lock. ARGV: value, ttl ms. → 1 if still held (and extended). */
export const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** KEYS: lock. ARGV: value. → 1 if released. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Record scripts all take the same KEYS: 1 meta, 2 text, 3 listed, 4 seq, 5 pending, 6 changes, 7 fence, 8 the
 * name's lock. Each write appends to the change stream and records that entry's id in `seq` (kept after a removal,
 * as a tombstone), so a replica applies a record only if it is newer than the one it holds.
 */
const FENCE_CHECK = `
if tonumber(redis.call('HGET', KEYS[7], ARGV[1]) or '0') ~= tonumber(ARGV[2]) then
  return redis.error_reply('FENCED the lock on ' .. ARGV[1] .. ' was taken by another replica')
end`;

const WRITE = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[7])
redis.call('HDEL', KEYS[5], ARGV[1])
local sid = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[6], '*', 'name', ARGV[1], 'id', ARGV[5])
redis.call('HSET', KEYS[4], ARGV[1], sid)
return sid`;

const REMOVE = `
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
local sid = redis.call('XADD', KEYS[6], 'MAXLEN', '~', STREAM_LENGTH, '*', 'name', ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], sid)`;

/** ARGV: name, token, meta, packed text, id, stream length, listed. → the change's stream id. */
export const FENCED_SET = `${FENCE_CHECK}${WRITE}`;

/**
 * ARGV: name, token, pending JSON ('' for none), stream length. → the change's stream id, or '' if there was no
 * record. Leaves `pending` set when given: the store's file is removed after, by the store plugin.
 */
export const FENCED_DELETE = `${FENCE_CHECK}
if ARGV[3] ~= '' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[3]) else redis.call('HDEL', KEYS[5], ARGV[1]) end
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return '' end
${REMOVE.replace('STREAM_LENGTH', 'ARGV[4]')}
return sid`;

/** ARGV: name, token, pending JSON ('' clears it). */
export const FENCED_PENDING = `${FENCE_CHECK}
if ARGV[3] ~= '' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[3]) else redis.call('HDEL', KEYS[5], ARGV[1]) end
return 1`;

const UNLOCKED_UNCHANGED = `
if redis.call('EXISTS', KEYS[8]) == 1 then return '' end
local was = redis.call('HGET', KEYS[3], ARGV[1])
local hash = ''
if was then hash = cjson.decode(was).hash or '' end
if hash ~= ARGV[2] then return '' end`;

/**
 * A refresh's write, holding no lock: applies only if no replica holds the name's lock and the store's hash it
 * compared against is still the record's. ARGV: name, hash compared against ('' for none), meta, packed text, id,
 * stream length, listed. → the change's stream id, or '' if someone wrote the name since.
 */
export const SYNC_SET = `${UNLOCKED_UNCHANGED}${WRITE}`;

/**
 * A refresh's writes of records taken from the store's snapshot, many at once: each as SYNC_SET against no record
 * (it applies only if no replica holds the name's lock and Redis holds no record of it), without the text (read
 * from the store on first use). KEYS: meta, text, listed, seq, pending, changes, then each name's lock. ARGV:
 * stream length, then name, meta, id, listed per record. → per record, its stream id or ''.
 */
export const SYNC_SET_METAS = `
local written = {}
for i = 1, #KEYS - 6 do
  local a = 1 + (i - 1) * 4
  local name = ARGV[a + 1]
  if redis.call('EXISTS', KEYS[6 + i]) == 1 or redis.call('HEXISTS', KEYS[3], name) == 1 then
    written[i] = ''
  else
    redis.call('HSET', KEYS[1], name, ARGV[a + 2])
    redis.call('HDEL', KEYS[2], name)
    redis.call('HSET', KEYS[3], name, ARGV[a + 4])
    redis.call('HDEL', KEYS[5], name)
    local sid = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[1], '*', 'name', name, 'id', ARGV[a + 3])
    redis.call('HSET', KEYS[4], name, sid)
    written[i] = sid
  end
end
return written`;

/**
 * The text of a record whose meta came without it (a snapshot's), read from the store: kept only if the record is
 * still that one (same id) and has no text yet. KEYS: meta, text. ARGV: name, id, packed text. → 1 if kept.
 */
export const TEXT_FILL = `
local meta = redis.call('HGET', KEYS[1], ARGV[1])
if not meta or cjson.decode(meta).id ~= ARGV[2] or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`;

/** A refresh's removal, as SYNC_SET. ARGV: name, hash compared against, stream length. → stream id or ''. */
export const SYNC_DELETE = `${UNLOCKED_UNCHANGED}
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
${REMOVE.replace('STREAM_LENGTH', 'ARGV[3]')}
return sid`;

/** The store's listing of a file whose bytes were found to be the record's. KEYS: listed. ARGV: name, hash, listed. */
export const LISTED_UPDATE = `
local was = redis.call('HGET', KEYS[1], ARGV[1])
if was and cjson.decode(was).hash == ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end
return 0`;

/**
 * Store a cached answer and evict the least recently used beyond the budget. KEYS: result, lru, sizes, total.
 * ARGV: key, meta, body, size, budget, now ms. → bytes evicted.
 */
export const CACHE_PUT = `
local size = tonumber(ARGV[4])
local budget = tonumber(ARGV[5])
if size > budget then return -1 end
local old = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
redis.call('HSET', KEYS[1], 'meta', ARGV[2], 'body', ARGV[3])
redis.call('PERSIST', KEYS[1])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], size)
local total = redis.call('INCRBY', KEYS[4], size - old)
local evicted = 0
local prefix = string.sub(KEYS[1], 1, string.len(KEYS[1]) - string.len(ARGV[1]))
while total > budget do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not oldest then break end
  local bytes = tonumber(redis.call('HGET', KEYS[3], oldest) or '0')
  redis.call('ZREM', KEYS[2], oldest)
  redis.call('HDEL', KEYS[3], oldest)
  redis.call('DEL', prefix .. oldest)
  total = redis.call('DECRBY', KEYS[4], bytes)
  evicted = evicted + bytes
end
return evicted`;

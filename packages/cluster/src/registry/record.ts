import { brotliDecompressSync } from 'node:zlib';
import { parse, type HeldState, type PublicationIndex } from '@cubemark/format';
import { packHeldFile, sha256 as sha256OfBytes, type StoreEntry } from '@cubemark/restore';
import { PublicationContent, type PublicationRecord, type PublishOrigin } from '@cubemark/scheduler';

/** What Redis holds of a record besides its text (`meta` hash): all a listing needs. */
export interface StoredMeta {
  id: string;
  /** SHA-256 of the `.cube.md` text (as the store holds it), hex. */
  hash: string;
  state: HeldState;
  warnings: string[];
  publishedAt: string;
  origin: PublishOrigin;
  index: PublicationIndex;
  /** Length of the text, in bytes. */
  bytes: number;
}

/** What the store held when a record was written (`listed` hash): a refresh compares the store's listing with it. */
export interface Listed {
  hash: string;
  size?: number;
  mtime?: string;
  etag?: string;
}

/** What the store's `entry` says of a file whose bytes hash to `hash`. */
export function listedOf(hash: string, entry: StoreEntry): Listed {
  return { hash, size: entry.size, mtime: entry.mtime, ...(entry.etag !== undefined && { etag: entry.etag }) };
}

/** A record's text packed as the restore plugin packs held files (the refresh stores restore's packing as is). */
export function pack(text: string | Uint8Array): Buffer {
  const packed = packHeldFile(typeof text === 'string' ? Buffer.from(text) : text);
  return Buffer.isBuffer(packed) ? packed : Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
}

/** SHA-256 of a record's text, hex, as the restore plugin and the store's index compute it. */
export function sha256(text: string | Uint8Array): string {
  return sha256OfBytes(typeof text === 'string' ? Buffer.from(text) : text);
}

/** The meta of `record` whose text hashes to `hash` and is `bytes` long. */
export function metaOf(record: PublicationRecord, hash: string, bytes: number): StoredMeta {
  return {
    id: record.id,
    hash,
    state: record.state,
    warnings: record.warnings,
    publishedAt: record.publishedAt,
    origin: record.origin,
    index: record.content.index,
    bytes,
  };
}

/**
 * A record from Redis: its model is parsed from the packed text when first needed (as a restored publication's
 * is), `file` naming it in messages.
 */
export function recordOf(name: string, meta: StoredMeta, packed: Uint8Array, file: string): PublicationRecord {
  return {
    name,
    content: PublicationContent.from({
      index: meta.index,
      bytes: meta.bytes,
      load() {
        const result = parse(brotliDecompressSync(packed), { file });
        if (!result.publication) throw new Error(`${file} no longer parses: ${result.errors.map((e) => e.message).join('; ')}`);
        return { publication: result.publication, body: result.body };
      },
    }),
    state: meta.state,
    warnings: meta.warnings,
    publishedAt: meta.publishedAt,
    origin: meta.origin,
    id: meta.id,
  };
}

/** A record for listing only: its text is not here (`get` fetches it), so its model cannot be built from it. */
export function listingRecord(name: string, meta: StoredMeta): PublicationRecord {
  return {
    ...recordOf(name, meta, new Uint8Array(), name),
    content: PublicationContent.from({
      index: meta.index,
      bytes: meta.bytes,
      load() {
        throw new Error(`the record of '${name}' listed without its text: get('${name}') fetches it`);
      },
    }),
  };
}

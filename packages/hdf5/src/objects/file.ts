import { Hdf5CorruptError, Hdf5UsageError } from '../errors.js';
import { Hdf5Context } from '../format/context.js';
import { parseDataspace } from '../format/messages/dataspace.js';
import { parseFillValue, parseOldFillValue } from '../format/messages/fill-value.js';
import { parseFilterPipeline } from '../format/messages/filters.js';
import { parseLayout } from '../format/messages/layout.js';
import { MSG, readObjectHeader } from '../format/object-header.js';
import { findSignature, parseSuperblock, type Superblock } from '../format/superblock.js';
import { FileIO, type ReadOptions } from '../io/file-io.js';
import type { RangeReader } from '../io/range-reader.js';
import { GlobalHeap } from '../structures/global-heap.js';
import { readAttributes, type Hdf5Attribute } from './attributes.js';
import { Hdf5Dataset } from './dataset.js';
import { Hdf5Group, Hdf5NamedDatatype } from './group.js';
import { readLinks } from './links.js';
import { headerDatatype } from './shared.js';

export type Hdf5Object = Hdf5Group | Hdf5Dataset | Hdf5NamedDatatype;

/** Enough bytes for any superblock (v0 with 8-byte offsets is the largest, 96 bytes plus its root entry). */
const SUPERBLOCK_BYTES = 256;
/** How far a user block is looked past when the signature is not at byte 0. */
const USER_BLOCK_SEARCH = 64 * 1024 + SUPERBLOCK_BYTES;

/**
 * An open HDF5 file. Opening reads the superblock (with a read-ahead of the first bytes, where object headers
 * usually are) and the root group's links; objects are read on `get`, each object header once.
 */
export class Hdf5File {
  readonly uri: string;
  readonly superblock: Superblock;
  private rootGroup?: Hdf5Group;
  private readonly objects = new Map<number, Promise<Hdf5Object>>();

  private constructor(
    private readonly ctx: Hdf5Context,
    private readonly heap: GlobalHeap,
  ) {
    this.uri = ctx.uri;
    this.superblock = ctx.superblock;
  }

  /** The root group. */
  get root(): Hdf5Group {
    return this.rootGroup!;
  }

  static async open(reader: RangeReader, options: ReadOptions = {}, signal?: AbortSignal): Promise<Hdf5File> {
    const io = new FileIO(reader, options);
    // The read-ahead, at least the superblock's bytes; past a user block (signature at 512, 1024, ...) more.
    let head = await io.prefix(Math.max(io.options.readAhead, SUPERBLOCK_BYTES), signal);
    if (findSignature(head) === undefined && head.length >= SUPERBLOCK_BYTES) head = await io.prefix(USER_BLOCK_SEARCH, signal);
    const superblock = parseSuperblock(io, head);
    io.eof = superblock.eof;
    const ctx = new Hdf5Context(io, superblock);
    const heap = new GlobalHeap(ctx);
    const file = new Hdf5File(ctx, heap);
    const root = await file.load(superblock.rootAddress, '', '/', superblock.rootSymbolTable, signal);
    if (!(root instanceof Hdf5Group)) throw new Hdf5CorruptError('HDF5_CORRUPT', ctx.uri, ctx.abs(superblock.rootAddress), 'the root object is not a group');
    file.rootGroup = root;
    file.objects.set(superblock.rootAddress, Promise.resolve(root));
    return file;
  }

  /** Bytes of metadata cached for this file. */
  get cachedBytes(): number {
    return this.ctx.io.cachedBytes;
  }

  /** The object a path names (absolute, or relative to the root), or `undefined`. Soft and external links are not followed. */
  async get(path: string, signal?: AbortSignal): Promise<Hdf5Object | undefined> {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    let current: Hdf5Object = this.root;
    let at = '';
    for (const part of parts) {
      if (!(current instanceof Hdf5Group)) return undefined;
      const link = current.links.find((l) => l.name === part);
      if (!link || link.kind !== 'hard') return undefined;
      at = `${at}/${part}`;
      current = await this.objectAt(link.address, part, at, signal);
    }
    return current;
  }

  /** Like `get`, but a missing path is an HDF5_NOT_FOUND error. */
  async require(path: string, signal?: AbortSignal): Promise<Hdf5Object> {
    const object = await this.get(path, signal);
    if (!object) throw new Hdf5UsageError('HDF5_NOT_FOUND', this.uri, `has no object at ${path}`);
    return object;
  }

  /** The object whose header is at relative `address` (how links and object references name objects). */
  async objectAt(address: number, name: string, path: string, signal?: AbortSignal): Promise<Hdf5Object> {
    signal?.throwIfAborted();
    let object = this.objects.get(address);
    if (!object) {
      // Shared by every caller: loaded without any one caller's signal.
      object = this.load(address, name, path, undefined);
      object.catch(() => this.objects.delete(address));
      this.objects.set(address, object);
    }
    return object;
  }

  /** The object an object reference (an absolute header address, as `read` gives them) points to. */
  dereference(absolute: number, signal?: AbortSignal): Promise<Hdf5Object> {
    const address = absolute - this.superblock.baseAddress;
    return this.objectAt(address, '', `<object at ${absolute}>`, signal);
  }

  private async load(address: number, name: string, path: string, rootSymbolTable: Superblock['rootSymbolTable'], signal?: AbortSignal): Promise<Hdf5Object> {
    const ctx = this.ctx;
    const messages = await readObjectHeader(ctx, address, signal);
    const absolute = ctx.abs(address);
    let attributes: Promise<Hdf5Attribute[]> | undefined;
    const loadAttributes = () => {
      attributes ??= readAttributes(ctx, this.heap, messages);
      attributes.catch(() => (attributes = undefined));
      return attributes;
    };
    const has = (type: number) => messages.some((m) => m.type === type);
    if (has(MSG.LAYOUT)) {
      const one = (type: number) => messages.find((m) => m.type === type)!;
      const space = has(MSG.DATASPACE) ? parseDataspace(one(MSG.DATASPACE).cursor('dataspace message')) : undefined;
      const datatype = await headerDatatype(ctx, messages, signal);
      if (!space || !datatype) throw new Hdf5CorruptError('HDF5_CORRUPT', ctx.uri, absolute, `dataset ${path} has no ${space ? 'datatype' : 'dataspace'} message`);
      const layout = parseLayout(one(MSG.LAYOUT).cursor('data layout message'));
      const filters = has(MSG.FILTER_PIPELINE) ? parseFilterPipeline(one(MSG.FILTER_PIPELINE).cursor('filter pipeline message')) : [];
      const fill = has(MSG.FILL_VALUE)
        ? parseFillValue(one(MSG.FILL_VALUE).cursor('fill value message'))
        : has(MSG.FILL_VALUE_OLD)
          ? parseOldFillValue(one(MSG.FILL_VALUE_OLD).cursor('fill value message'))
          : undefined;
      const shape = space.shape;
      return new Hdf5Dataset(ctx, this.heap, {
        name,
        path,
        address: absolute,
        shape,
        maxShape: space.maxShape ?? [...(shape ?? [])],
        datatype,
        layout,
        filters,
        fillValue: fill && fill.length === datatype.size ? fill : undefined,
        attributes: loadAttributes,
      });
    }
    if (has(MSG.SYMBOL_TABLE) || has(MSG.LINK_INFO) || has(MSG.LINK) || has(MSG.GROUP_INFO) || rootSymbolTable) {
      const links = await readLinks(ctx, messages, rootSymbolTable, signal);
      return new Hdf5Group(name, path, absolute, links, loadAttributes);
    }
    if (has(MSG.DATATYPE)) return new Hdf5NamedDatatype(name, path, absolute);
    // An object with none of these (e.g. an empty group written without group info): an empty group.
    return new Hdf5Group(name, path, absolute, [], loadAttributes);
  }
}

/** Open an HDF5 file through `reader`. See `Hdf5File`. */
export function openHdf5(reader: RangeReader, options?: ReadOptions & { signal?: AbortSignal }): Promise<Hdf5File> {
  return Hdf5File.open(reader, options, options?.signal);
}

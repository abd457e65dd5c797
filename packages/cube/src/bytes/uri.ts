import { posix, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ByteSourceError } from '../errors.js';

/**
 * The URI's scheme in lower case (`s3`, `https`, `file`), or `undefined` for a plain path. One letter before a
 * colon is a Windows drive, not a scheme.
 */
export function uriScheme(uri: string): string | undefined {
  return /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(uri)?.[1].toLowerCase();
}

/**
 * Resolve `uri` against `base`, so a store's files can name each other relatively and the store can move.
 *
 * - A `uri` with a scheme (`s3://…`, `https://…`, `file:…`) or an absolute path (`/data/x.nc`) is returned as is.
 * - Without `base`, `uri` is returned as is.
 * - `base` is always a directory, with or without a trailing slash: a path (`/data/store`), a `file:` URI,
 *   an `http(s)://` URL (resolved by URL rules), or any other `scheme://authority/prefix` (`s3://bucket/prefix/`),
 *   where `.` and `..` segments are resolved but may not climb above the authority (the bucket).
 *
 * Pure: no file system, no working directory.
 */
export function resolveUri(uri: string, base?: string): string {
  if (uriScheme(uri) !== undefined || uri.startsWith('/') || base === undefined || base === '') return uri;
  const scheme = uriScheme(base);
  if (scheme === undefined) return join(base, uri);
  if (scheme === 'file') {
    let dir: string;
    try {
      dir = fileURLToPath(base);
    } catch (error) {
      throw new ByteSourceError('BAD_URI', base, 'not a valid file: URI to resolve relative paths against', {
        cause: error,
      });
    }
    return pathToFileURL(join(dir, uri)).href;
  }
  if (scheme === 'http' || scheme === 'https') {
    return new URL(uri, base.endsWith('/') ? base : `${base}/`).href;
  }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]+:\/\/[^/]+)(\/.*)?$/.exec(base);
  if (!m) {
    throw new ByteSourceError('BAD_URI', base, 'a base URI must look like scheme://authority/prefix/');
  }
  const [, root, prefix = ''] = m;
  const joined = posix.normalize(posix.join(prefix.replace(/^\/+/, ''), uri));
  if (joined === '..' || joined.startsWith('../')) {
    throw new ByteSourceError('BAD_URI', uri, `relative path climbs above ${root}/ when resolved against ${base}`);
  }
  return `${root}/${joined === '.' ? '' : joined}`;
}

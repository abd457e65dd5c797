/**
 * A typed client for the scheduler's HTTP API (see its /openapi.json). Relative URLs: the page is served by the
 * scheduler itself (or by Vite with a proxy in development). Every call takes an AbortSignal so a view can cancel
 * what it no longer needs (a slider moved on before the last slice arrived).
 */
import {
  jsonNumber,
  MAX_LISTED_VALUES,
  regularValues,
  type ArrayDescription,
  type CoordSystem,
  type CubeDescription,
  type ErrorBody,
  type NumericDtype,
  type PublicationDescription,
  type PublicationInfo,
  type UnifiedDescription,
} from '@cubemark/format';
import { decodeBinarySlice, type Slice } from './binary.js';

export type { Slice } from './binary.js';

/** An error answer of the API (`{code, message, details?}`), or a network failure (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The merged cube of one parameter across a publication, or why its cubes do not merge. */
export type UnifiedResult =
  | { status: 'merged'; cube: CubeDescription; parts: number[]; how?: string; coordSystems?: Record<string, CoordSystem> }
  | { status: 'failed'; reasons: string[]; parts: number[] }
  | { status: 'unavailable'; message: string };

async function failure(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  let details: Record<string, unknown> | undefined;
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (body.code) code = body.code;
    if (body.message) message = body.message;
    details = body.details;
  } catch {
    // Not JSON (a proxy's error page): the status line is all there is.
  }
  return new ApiError(response.status, code, message, details);
}

/**
 * The token this tab sends with every API request (`Authorization: Bearer`), for a server that closes reads with
 * `--read-token`. Kept in sessionStorage: it lives as long as the tab and never goes into a URL.
 */
const TOKEN_KEY = 'cubemark-token';

interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): TokenStorage | undefined {
  try {
    return (globalThis as { sessionStorage?: TokenStorage }).sessionStorage;
  } catch {
    return undefined; // storage disabled: the token lasts as long as the page
  }
}

let pageToken: string | undefined;

export function accessToken(): string | undefined {
  return pageToken ?? storage()?.getItem(TOKEN_KEY) ?? undefined;
}

/** Sets (or, with an empty value, forgets) the token sent with every request. */
export function setAccessToken(token: string | undefined): void {
  pageToken = token?.trim() || undefined;
  if (pageToken) storage()?.setItem(TOKEN_KEY, pageToken);
  else storage()?.removeItem(TOKEN_KEY);
}

async function request(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  const token = accessToken();
  if (token) init = { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } };
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (init.signal?.aborted) throw e;
    throw new ApiError(0, 'NETWORK', `the server did not answer (${e instanceof Error ? e.message : String(e)}); is \`cubemark serve\` running?`);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await request(url, { signal, headers: { accept: 'application/json' } });
  return (await response.json()) as T;
}

const enc = encodeURIComponent;

export function publicationUrl(name: string): string {
  return `publications/${enc(name)}`;
}

export function cubeUrl(name: string, index: number): string {
  return `${publicationUrl(name)}/cubes/${index}`;
}

export function unifiedUrl(name: string, parameter: string): string {
  return `${publicationUrl(name)}/unified/${enc(parameter)}`;
}

export async function listPublications(signal?: AbortSignal): Promise<PublicationInfo[]> {
  return (await getJson<{ publications: PublicationInfo[] }>('publications', signal)).publications;
}

/**
 * A regular array's values from its rule (`start`, `step`), as the cube routes list them (the publication route
 * gives only the rule, see the scheduler's README), computed as the server does (`regularValues`, `jsonNumber`), so
 * bit for bit the same. Other arrays, and arrays of more than MAX_LISTED_VALUES, are returned as they are.
 */
export function withRegularValues(array: ArrayDescription): ArrayDescription {
  if (array.kind !== 'regular' || array.values || !array.start || array.step === undefined) return array;
  if (array.shape.reduce((p, n) => p * n, 1) > MAX_LISTED_VALUES) return array;
  const values = regularValues({ kind: 'regular', dtype: array.dtype as NumericDtype, shape: array.shape, start: array.start.map(Number), step: Number(array.step) });
  // As the API writes them (`jsonNumber`): 64-bit integers beyond 2^53 as strings.
  return { ...array, values: Array.from(values as ArrayLike<number | bigint>, jsonNumber) };
}

/** The publication's description, with the values of small regular coordinates filled in (see `withRegularValues`). */
export async function getPublication(name: string, signal?: AbortSignal): Promise<PublicationDescription> {
  const pub = await getJson<PublicationDescription>(publicationUrl(name), signal);
  for (const cube of pub.cubes) {
    cube.coords = cube.coords?.map((c) => ({ ...c, points: withRegularValues(c.points) }));
  }
  return pub;
}

/** The publication's `.cube.md` text (frontmatter and prose). */
export async function getMarkdown(name: string, signal?: AbortSignal): Promise<string> {
  const response = await request(`${publicationUrl(name)}?format=md`, { signal, headers: { accept: 'text/markdown' } });
  return response.text();
}

export function getCube(name: string, index: number, signal?: AbortSignal): Promise<CubeDescription> {
  return getJson(cubeUrl(name, index), signal);
}

/**
 * Values of a cube (or merged cube) at `base` (`publications/x/cubes/0`), selected with the API's `sel` syntax,
 * as binary: fewer bytes than JSON and no parsing.
 */
export async function getSlice(base: string, sel: string, signal?: AbortSignal): Promise<Slice> {
  const response = await request(`${base}/data?sel=${enc(sel)}`, { signal, headers: { accept: 'application/octet-stream' } });
  return decodeBinarySlice(await response.arrayBuffer(), response.headers);
}

/**
 * A coordinate's points or bounds (`part`) from the coordinate-values route, as binary: what the description does
 * not list (2-D latitude and longitude over 1000 points, an orography, the outlines of a mesh's faces). `key` as
 * the description lists the coordinate (`coords[].key`; `mesh:x`, `mesh:y` for mesh coordinates).
 */
export async function getCoordValues(base: string, key: string, part: 'points' | 'bounds', signal?: AbortSignal): Promise<Slice> {
  const response = await request(`${base}/coords/${enc(key)}/${part}`, { signal, headers: { accept: 'application/octet-stream' } });
  return decodeBinarySlice(await response.arrayBuffer(), response.headers);
}

/**
 * The unified view of `parameter`: the scheduler's merge of every cube of that name. A scheduler without the
 * route answers 404 ROUTE_NOT_FOUND, which is reported as `unavailable` (the page then groups the cubes itself).
 */
export async function getUnified(name: string, parameter: string, signal?: AbortSignal): Promise<UnifiedResult> {
  try {
    const body = await getJson<UnifiedDescription>(unifiedUrl(name, parameter), signal);
    return { status: 'merged', cube: body.cube, parts: body.parts ?? [], how: body.how, coordSystems: body.coord_systems };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.code === 'ROUTE_NOT_FOUND' || (e.status === 404 && e.code.startsWith('HTTP_'))) {
      return { status: 'unavailable', message: 'this scheduler has no unified-view route yet (GET /publications/:name/unified/:parameter)' };
    }
    if (e.status === 409 || e.status === 422) {
      const reasons = Array.isArray(e.details?.reasons) ? (e.details.reasons as unknown[]).map(String) : [e.message];
      const parts = Array.isArray(e.details?.parts) ? (e.details.parts as unknown[]).map(Number) : [];
      return { status: 'failed', reasons, parts };
    }
    throw e;
  }
}

/** URL of the server-rendered PNG of a map (the scheduler's plot route), for scripts and for sharing. */
export function plotPngUrl(base: string, sel: string, options: { colormap?: string; range?: readonly [number, number]; coastlines?: boolean; graticule?: boolean } = {}): string {
  const q = new URLSearchParams({ sel });
  if (options.colormap) q.set('colormap', options.colormap);
  if (options.range) q.set('range', `${options.range[0]},${options.range[1]}`);
  if (options.coastlines === false) q.set('coastlines', '0');
  if (options.graticule === false) q.set('graticule', '0');
  return `${base}/plot.png?${q}`;
}

/**
 * Hash routes, so the page is one static file the scheduler serves at `/` and every view has a link to share:
 *   #/                              publications
 *   #/p/<name>                      a publication
 *   #/p/<name>/c/<index>?time=3     a cube, with the widgets' indices
 *   #/p/<name>/u/<parameter>        the unified view of a parameter
 *   #/compare?a=<ref>&b=<ref>       two cubes side by side, or their difference (`<ref>`: `<name>/c/<index>` or
 *                                   `<name>/u/<parameter>`, possibly of two publications)
 * A `<name>` the format's name rule refuses is no page (the server would refuse it too), with the rule's message.
 */
import { checkPublicationName } from '@cubemark/format';

export type Route =
  | { view: 'list' }
  | { view: 'publication'; name: string }
  | { view: 'cube'; name: string; index: number; query: URLSearchParams }
  | { view: 'unified'; name: string; parameter: string; query: URLSearchParams }
  | { view: 'compare'; a: CubeRef; b: CubeRef; query: URLSearchParams }
  | { view: 'missing'; path: string; reason?: string };

/** A cube of a publication, or the unified cube of one of its parameters. */
export type CubeRef = { name: string; index: number } | { name: string; parameter: string };

/** `ukv/c/3` or `ukv/u/air_temperature`; undefined when it is neither or the name breaks the rule. */
export function parseCubeRef(text: string | null): CubeRef | undefined {
  const m = /^(.+)\/(c|u)\/(.+)$/.exec(text ?? '');
  if (!m || checkPublicationName(m[1])) return undefined;
  if (m[2] === 'c') return /^\d+$/.test(m[3]) ? { name: m[1], index: Number(m[3]) } : undefined;
  return { name: m[1], parameter: m[3] };
}

export function cubeRefText(ref: CubeRef): string {
  return 'index' in ref ? `${ref.name}/c/${ref.index}` : `${ref.name}/u/${ref.parameter}`;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { view: 'list' };
  if (parts.length === 1 && parts[0] === 'compare') {
    const a = parseCubeRef(query.get('a'));
    const b = parseCubeRef(query.get('b'));
    if (a && b) return { view: 'compare', a, b, query };
    return { view: 'missing', path, reason: 'a comparison needs two cubes: ?a=<publication>/c/<index>&b=<publication>/c/<index>' };
  }
  const invalid = parts[0] === 'p' && parts.length >= 2 ? checkPublicationName(parts[1]) : undefined;
  if (invalid) return { view: 'missing', path, reason: invalid.message };
  if (parts[0] === 'p' && parts.length === 2) return { view: 'publication', name: parts[1] };
  if (parts[0] === 'p' && parts.length === 4 && parts[2] === 'c' && /^\d+$/.test(parts[3])) return { view: 'cube', name: parts[1], index: Number(parts[3]), query };
  if (parts[0] === 'p' && parts.length === 4 && parts[2] === 'u') return { view: 'unified', name: parts[1], parameter: parts[3], query };
  return { view: 'missing', path };
}

const enc = encodeURIComponent;
export const href = {
  list: () => '#/',
  publication: (name: string) => `#/p/${enc(name)}`,
  cube: (name: string, index: number) => `#/p/${enc(name)}/c/${index}`,
  unified: (name: string, parameter: string) => `#/p/${enc(name)}/u/${enc(parameter)}`,
  compare: (a: CubeRef, b: CubeRef, extra: Record<string, string> = {}) => `#/compare?${new URLSearchParams({ a: cubeRefText(a), b: cubeRefText(b), ...extra })}`,
};

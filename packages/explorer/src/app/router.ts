/** The hash router's browser half: following `location.hash` (routes themselves are in routes.ts). */
import { useEffect, useState } from 'preact/hooks';
import { parseRoute, type Route } from './routes.js';

export { href, parseRoute, type Route } from './routes.js';

/**
 * The current route, and a count of navigations: every `hashchange` (a link followed, a URL pasted) counts, while
 * the views' own URL updates (`replaceQuery`) do not, so a view keyed by the count is rebuilt from any link opened,
 * even one equal to the URL it started from.
 */
export function useRoute(): Route & { nav: number } {
  const [route, setRoute] = useState(() => ({ ...parseRoute(location.hash), nav: 0 }));
  useEffect(() => {
    const onChange = () => setRoute((r) => ({ ...parseRoute(location.hash), nav: r.nav + 1 }));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Change the query part of the current hash without adding a history entry (widget moves are not navigation). */
export function replaceQuery(query: URLSearchParams): void {
  const [path] = location.hash.split('?');
  const text = query.toString();
  history.replaceState(null, '', `${path}${text ? `?${text}` : ''}`);
}

/** The hash router's browser half: following `location.hash` (routes themselves are in routes.ts). */
import { useEffect, useState } from 'preact/hooks';
import { parseRoute, type Route } from './routes.js';

export { href, parseRoute, type Route } from './routes.js';

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
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

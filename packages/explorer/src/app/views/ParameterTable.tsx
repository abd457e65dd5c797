import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CubeDescription } from '@cubemark/format';
import { getUnified } from '../api.js';
import { groupIdenticalCubes, type CubeGroup } from '../dedupe.js';
import { formatCellMethod, formatDims, formatShape, matchesQuery } from '../format.js';
import { href } from '../router.js';

/** Row height in CSS pixels (rows are one line, so the window of rows shown is computed, not measured). */
export const ROW_HEIGHT = 34;
/** Rows rendered beyond the visible ones, above and below. */
const OVERSCAN = 12;
/** Tables with fewer rows are rendered whole. */
const VIRTUAL_FROM = 80;

type Joins = Record<string, 'checking' | 'merged' | 'failed' | 'unavailable'>;

/** Whether each parameter held in several distinct cubes joins into one (asked of the unified route, two at a time). */
function useJoins(name: string, parameters: string[]): Joins {
  const [joins, setJoins] = useState<Joins>({});
  const key = parameters.join('\n');
  useEffect(() => {
    const controller = new AbortController();
    setJoins(Object.fromEntries(parameters.map((p) => [p, 'checking'])));
    let next = 0;
    const worker = async () => {
      while (next < parameters.length && !controller.signal.aborted) {
        const p = parameters[next++];
        const status = await getUnified(name, p, controller.signal).then(
          (u) => u.status,
          () => 'unavailable' as const,
        );
        if (!controller.signal.aborted) setJoins((j) => ({ ...j, [p]: status }));
      }
    };
    void Promise.all([worker(), worker()]);
    return () => controller.abort();
  }, [name, key]);
  return joins;
}

function searchText(c: CubeDescription): string {
  return [c.name, c.units, c.dims.join(' '), formatShape(c.shape), ...(c.cell_methods ?? []).map(formatCellMethod)].join(' ');
}

/**
 * A publication's parameters: identical cubes once, with a count; each parameter held in several distinct cubes
 * gets its unified view (when they join); a filter; and, for long tables (a publication of 600 cubes), only the
 * rows in view are in the page, so scrolling and filtering stay instant.
 */
export function ParameterTable({ name, cubes }: { name: string; cubes: readonly CubeDescription[] }) {
  const groups = useMemo(() => groupIdenticalCubes(cubes), [cubes]);
  const [query, setQuery] = useState('');
  const shown = useMemo(() => groups.filter((g) => matchesQuery(query, searchText(g.cube))), [groups, query]);
  const multi = useMemo(() => {
    const count = new Map<string, number>();
    for (const g of groups) count.set(g.cube.name, (count.get(g.cube.name) ?? 0) + 1);
    return [...count].filter(([, n]) => n > 1).map(([p]) => p);
  }, [groups]);
  const joins = useJoins(name, multi);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const virtual = shown.length >= VIRTUAL_FROM;
  const first = virtual ? Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN) : 0;
  const last = virtual ? Math.min(shown.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN) : shown.length;
  const repeated = cubes.length - groups.length;

  const unifiedCell = (g: CubeGroup) => {
    const state = joins[g.cube.name];
    if (!state) return <span class="muted">–</span>;
    if (state === 'merged') return <a href={href.unified(name, g.cube.name)}>unified view</a>;
    if (state === 'checking') return <span class="muted">checking…</span>;
    return (
      <a href={href.unified(name, g.cube.name)} class="muted">
        {state === 'failed' ? 'does not join: why' : 'side by side'}
      </a>
    );
  };

  return (
    <>
      <div class="search">
        <label for="param-filter">Filter parameters</label>
        <input id="param-filter" type="search" value={query} placeholder="e.g. temperature, hPa, time: mean" onInput={(e) => setQuery(e.currentTarget.value)} aria-describedby="param-count" />
        <span id="param-count" class="muted" aria-live="polite">
          {shown.length} of {groups.length} shown
          {repeated > 0 && ` (${cubes.length} cubes; ${repeated} repeat${repeated === 1 ? '' : 's'} of identical cubes folded into their first)`}
        </span>
      </div>
      <div class={`table-wrap${virtual ? ' table-scroll' : ''}`} ref={scrollRef} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={virtual ? 0 : undefined} aria-label={virtual ? 'Parameters (scroll for more)' : undefined}>
        <table class={`cubes${virtual ? ' virtual' : ''}`} aria-rowcount={shown.length + 1} data-rows={shown.length}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Units</th>
              <th scope="col">Shape</th>
              <th scope="col">Dimensions</th>
              <th scope="col">Cell methods</th>
              <th scope="col">Identical cubes</th>
              <th scope="col">Unified</th>
            </tr>
          </thead>
          <tbody>
            {virtual && first > 0 && <tr class="spacer" aria-hidden="true" style={{ height: `${first * ROW_HEIGHT}px` }} />}
            {shown.slice(first, last).map((g, k) => {
              const c = g.cube;
              return (
                <tr key={c.index} aria-rowindex={first + k + 2} class="cube-row" data-count={g.indices.length}>
                  <td class="num">{c.index}</td>
                  <th scope="row">
                    <a href={href.cube(name, c.index)}>{c.name}</a>
                  </th>
                  <td>{c.units}</td>
                  <td class="nowrap">{formatShape(c.shape)}</td>
                  <td>{formatDims(c) || <span class="muted">none</span>}</td>
                  <td>{c.cell_methods?.length ? c.cell_methods.map(formatCellMethod).join('; ') : <span class="muted">none</span>}</td>
                  <td class="nowrap" title={g.indices.length > 1 ? `cubes ${g.indices.join(', ')}` : undefined}>
                    {g.indices.length > 1 ? <span class="count">× {g.indices.length}</span> : <span class="muted">1</span>}
                  </td>
                  <td class="nowrap">{unifiedCell(g)}</td>
                </tr>
              );
            })}
            {virtual && last < shown.length && <tr class="spacer" aria-hidden="true" style={{ height: `${(shown.length - last) * ROW_HEIGHT}px` }} />}
          </tbody>
        </table>
      </div>
    </>
  );
}

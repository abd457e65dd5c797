import { useState } from 'preact/hooks';
import { listPublications } from '../api.js';
import { formatBytes, matchesQuery } from '../format.js';
import { useLoad } from '../hooks.js';
import { href } from '../router.js';
import { ErrorBox, Loading, StateBadge } from './status.js';

export function PublicationList() {
  const list = useLoad((signal) => listPublications(signal), []);
  const [query, setQuery] = useState('');
  if (list.state === 'loading') return <Loading what="publications" />;
  if (list.state === 'error') return <ErrorBox error={list.error} what="the publications" />;
  const all = [...list.value].sort((a, b) => a.name.localeCompare(b.name));
  const shown = all.filter((p) => matchesQuery(query, p.name, p.title));
  return (
    <section aria-labelledby="publications-heading">
      <h1 id="publications-heading">Publications</h1>
      <div class="search">
        <label for="search">Search by name or title</label>
        <input id="search" type="search" value={query} placeholder="e.g. ukv 2017-05-15" onInput={(e) => setQuery(e.currentTarget.value)} aria-describedby="search-count" />
        <span id="search-count" class="muted" aria-live="polite">
          {shown.length} of {all.length} shown
        </span>
      </div>
      {all.length === 0 ? (
        <p class="empty">No publications yet. Publish one with <code>POST /publications</code> (a <code>.cube.md</code> document or data sources).</p>
      ) : shown.length === 0 ? (
        <p class="empty">No publication matches “{query}”.</p>
      ) : (
        <div class="table-wrap">
          <table class="publications">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Title</th>
                <th scope="col" class="num">Cubes</th>
                <th scope="col" class="num">Lazy size</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.name}>
                  <th scope="row">
                    <a href={href.publication(p.name)}>{p.name}</a>
                  </th>
                  <td>{p.title ?? <span class="muted">untitled</span>}</td>
                  <td class="num">{p.cubes}</td>
                  <td class="num">{formatBytes(p.lazyBytes)}</td>
                  <td>
                    <StateBadge state={p.state} warnings={p.warnings} />
                    {p.warnings.length > 0 && <span class="warning-count"> {p.warnings.length} warning{p.warnings.length === 1 ? '' : 's'}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

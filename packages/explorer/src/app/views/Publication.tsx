import { getMarkdown, getPublication } from '../api.js';
import { parameters } from '../cube-model.js';
import { formatBytes, formatCellMethod, formatDims, formatShape } from '../format.js';
import { useLoad } from '../hooks.js';
import { describeDocument } from '../markdown.js';
import { href } from '../router.js';
import { ErrorBox, Loading, StateBadge } from './status.js';

export function Publication({ name }: { name: string }) {
  const pub = useLoad((signal) => getPublication(name, signal), [name]);
  const prose = useLoad(async (signal) => describeDocument(await getMarkdown(name, signal)), [name]);
  if (pub.state === 'loading') return <Loading what={`publication ${name}`} />;
  if (pub.state === 'error') return <ErrorBox error={pub.error} what={`publication ${name}`} />;
  const p = pub.value;
  const groups = parameters(p.cubes);
  return (
    <article aria-labelledby="pub-heading">
      <h1 id="pub-heading">{p.title ?? p.name}</h1>
      <p class="meta">
        <code>{p.name}</code> · {p.cubes.length} cube{p.cubes.length === 1 ? '' : 's'}
        {p.lazyBytes !== undefined && <> · {formatBytes(p.lazyBytes)} lazily</>} · <StateBadge state={p.state} warnings={p.warnings} />
      </p>
      {p.warnings.length > 0 && (
        <div class="warnings" role="note">
          <strong>Warnings</strong>
          <ul>
            {p.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <section aria-labelledby="params-heading">
        <h2 id="params-heading">Parameters</h2>
        <div class="table-wrap">
          <table class="cubes">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Name</th>
                <th scope="col">Units</th>
                <th scope="col">Shape</th>
                <th scope="col">Dimensions</th>
                <th scope="col">Cell methods</th>
              </tr>
            </thead>
            <tbody>
              {p.cubes.map((c) => (
                <tr key={c.index}>
                  <td class="num">{c.index}</td>
                  <th scope="row">
                    <a href={href.cube(p.name, c.index)}>{c.name}</a>
                  </th>
                  <td>{c.units}</td>
                  <td class="nowrap">{formatShape(c.shape)}</td>
                  <td>{formatDims(c) || <span class="muted">none</span>}</td>
                  <td>{c.cell_methods?.length ? c.cell_methods.map(formatCellMethod).join('; ') : <span class="muted">none</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {groups.some((g) => g.indices.length > 1) && (
          <>
            <h3>Unified view</h3>
            <p class="muted">Parameters held in several cubes (split by file or time), merged into one:</p>
            <ul class="unified-links">
              {groups
                .filter((g) => g.indices.length > 1)
                .map((g) => (
                  <li key={g.name}>
                    <a href={href.unified(p.name, g.name)}>{g.name}</a> <span class="muted">({g.indices.length} cubes)</span>
                  </li>
                ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="desc-heading">
        <h2 id="desc-heading">Description</h2>
        {prose.state === 'loading' && <Loading what="the description" />}
        {prose.state === 'error' && <ErrorBox error={prose.error} what="the description" />}
        {/* Sanitised by rehype-sanitize in markdownToHtml: no scripts, handlers or raw HTML from the file. */}
        {prose.state === 'ready' && <div class="prose" dangerouslySetInnerHTML={{ __html: prose.value.prose }} />}
        {prose.state === 'ready' && prose.value.summary && (
          <details class="summary">
            <summary>Iris summaries of every cube (generated)</summary>
            <div class="prose" dangerouslySetInnerHTML={{ __html: prose.value.summary }} />
          </details>
        )}
      </section>
    </article>
  );
}

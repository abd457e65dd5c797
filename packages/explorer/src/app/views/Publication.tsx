import { getMarkdown, getPublication } from '../api.js';
import { formatBytes } from '../format.js';
import { useLoad } from '../hooks.js';
import { describeDocument } from '../markdown.js';
import { href } from '../router.js';
import { ParameterTable } from './ParameterTable.js';
import { ErrorBox, Loading, StateBadge } from './status.js';

export function Publication({ name }: { name: string }) {
  const pub = useLoad((signal) => getPublication(name, signal), [name]);
  const prose = useLoad(async (signal) => describeDocument(await getMarkdown(name, signal)), [name]);
  if (pub.state === 'loading') return <Loading what={`publication ${name}`} />;
  if (pub.state === 'error') return <ErrorBox error={pub.error} what={`publication ${name}`} />;
  const p = pub.value;
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
        <ParameterTable name={p.name} cubes={p.cubes} />
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

import { cubeUrl, getPublication, getUnified, unifiedUrl } from '../api.js';
import { orographyCube } from '../section.js';
import { cubeModel } from '../cube-model.js';
import { formatShape } from '../format.js';
import { useLoad } from '../hooks.js';
import { href } from '../router.js';
import { CubeWorkspace } from './CubeWorkspace.js';
import { ErrorBox, Loading } from './status.js';

/** First and last time of a cube (in its calendar), so a reader sees how the parts would join. */
function timeRange(cube: Parameters<typeof cubeModel>[0]): string {
  const time = cubeModel(cube).widgets.find((w) => w.isTime);
  if (!time) return '–';
  const labels = time.pointLabels;
  return labels.length > 1 ? `${labels[0]} – ${labels[labels.length - 1]}` : labels[0];
}

/**
 * One parameter across a publication: the scheduler merges (or concatenates) its cubes into one, browsed like any
 * cube. When they do not merge the reasons are shown (Iris's wording); a scheduler without the route gets the
 * cubes listed side by side.
 */
export function Unified({ name, parameter, query }: { name: string; parameter: string; query: URLSearchParams }) {
  const pub = useLoad((signal) => getPublication(name, signal), [name]);
  const unified = useLoad((signal) => getUnified(name, parameter, signal), [name, parameter]);
  if (pub.state === 'loading' || unified.state === 'loading') return <Loading what={`the unified view of ${parameter}`} />;
  if (pub.state === 'error') return <ErrorBox error={pub.error} what={`publication ${name}`} />;
  if (unified.state === 'error') return <ErrorBox error={unified.error} what={`the unified view of ${parameter}`} />;
  const parts = pub.value.cubes.filter((c) => c.name === parameter);
  const u = unified.value;
  return (
    <article aria-labelledby="unified-heading">
      <h1 id="unified-heading">
        {parameter} <span class="muted">unified</span>
      </h1>
      <p class="meta">
        {parts.length} cube{parts.length === 1 ? '' : 's'} of <a href={href.publication(name)}>{pub.value.title ?? name}</a>
      </p>
      {u.status === 'merged' && (
        <>
          <p class="notice ok" role="status">
            {u.how === 'merge' ? 'Merged' : u.how === 'single' ? 'Held in one cube' : 'Concatenated'} into one cube of shape {formatShape(u.cube.shape)} (
            {u.cube.dims.join(', ')}) from cube{u.parts.length === 1 ? '' : 's'} {u.parts.join(', ')}.
          </p>
          <CubeWorkspace
            cube={u.cube}
            coordSystems={u.coordSystems ?? pub.value.coord_systems}
            base={unifiedUrl(name, parameter)}
            publication={name}
            query={query}
            self={{ name, parameter }}
            orographyBase={(() => {
              const orography = orographyCube(u.cube, pub.value.cubes);
              return orography && cubeUrl(name, orography.index);
            })()}
            others={parts.map((c) => ({ ref: { name, index: c.index }, label: `cube ${c.index}: ${c.name} (${formatShape(c.shape)})` }))}
          />
        </>
      )}
      {u.status === 'failed' && (
        <div class="notice warn" role="alert">
          <p>
            <strong>These cubes do not merge into one.</strong> Why:
          </p>
          <ul class="reasons">
            {u.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {u.status === 'unavailable' && (
        <p class="notice" role="status" data-testid="unified-unavailable">
          The merged view needs the scheduler's unified route ({u.message}). Until then, the cubes of {parameter} are listed below; open each to browse it.
        </p>
      )}
      {u.status !== 'merged' && (
        <div class="table-wrap">
          <table class="cubes">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Shape</th>
                <th scope="col">Dimensions</th>
                <th scope="col">Time</th>
                <th scope="col">Summary</th>
              </tr>
            </thead>
            <tbody>
              {parts.map((c) => (
                <tr key={c.index}>
                  <th scope="row">
                    <a href={href.cube(name, c.index)}>cube {c.index}</a>
                  </th>
                  <td class="nowrap">{formatShape(c.shape)}</td>
                  <td>{c.dims.join(', ')}</td>
                  <td class="nowrap">{timeRange(c)}</td>
                  <td>
                    <details>
                      <summary>{c.shortSummary ?? c.name}</summary>
                      <pre>{c.summary}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

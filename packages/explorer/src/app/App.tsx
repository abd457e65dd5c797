import { useEffect } from 'preact/hooks';
import { href, useRoute, type Route } from './router.js';
import { Compare } from './views/Compare.js';
import { CubeView } from './views/CubeView.js';
import { Publication } from './views/Publication.js';
import { PublicationList } from './views/PublicationList.js';
import { Unified } from './views/Unified.js';

function Breadcrumbs({ route }: { route: Route }) {
  const name = 'name' in route ? route.name : undefined;
  return (
    <nav aria-label="Breadcrumb" class="crumbs">
      <ol>
        <li>
          <a href={href.list()}>Publications</a>
        </li>
        {name && (
          <li>
            <a href={href.publication(name)} aria-current={route.view === 'publication' ? 'page' : undefined}>
              {name}
            </a>
          </li>
        )}
        {route.view === 'cube' && <li aria-current="page">cube {route.index}</li>}
        {route.view === 'unified' && <li aria-current="page">{route.parameter} (unified)</li>}
        {route.view === 'compare' && <li aria-current="page">compare</li>}
      </ol>
    </nav>
  );
}

function titleOf(route: Route): string {
  switch (route.view) {
    case 'list':
      return 'Publications';
    case 'publication':
      return route.name;
    case 'cube':
      return `cube ${route.index} of ${route.name}`;
    case 'unified':
      return `${route.parameter} unified, ${route.name}`;
    case 'compare':
      return 'compare two cubes';
    default:
      return 'Not found';
  }
}

export function App() {
  const route = useRoute();
  useEffect(() => {
    document.title = `${titleOf(route)} · cubemark explorer`;
    // Move focus to the new view's heading so screen-reader and keyboard users land on it.
    requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus();
    });
  }, [route.view, 'name' in route ? route.name : '', route.view === 'cube' ? route.index : -1]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href.list()}>
          cubemark <span>explorer</span>
        </a>
        <Breadcrumbs route={route} />
      </header>
      <main id="main" tabIndex={-1}>
        {route.view === 'list' && <PublicationList />}
        {route.view === 'publication' && <Publication key={route.name} name={route.name} />}
        {route.view === 'cube' && <CubeView key={`${route.name}/${route.index}#${route.nav}`} name={route.name} index={route.index} query={route.query} />}
        {route.view === 'unified' && <Unified key={`${route.name}/${route.parameter}#${route.nav}`} name={route.name} parameter={route.parameter} query={route.query} />}
        {route.view === 'compare' && <Compare key={route.nav} a={route.a} b={route.b} query={route.query} />}
        {route.view === 'missing' && (
          <p class="error" role="alert">
            There is no page at <code>{route.path}</code>{route.reason ? `: ${route.reason}` : ''}. <a href={href.list()}>See the publications</a>.
          </p>
        )}
      </main>
    </>
  );
}

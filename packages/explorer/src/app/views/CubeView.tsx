import { cubeUrl, getPublication } from '../api.js';
import { useLoad } from '../hooks.js';
import { groupIdenticalCubes } from '../dedupe.js';
import { orographyCube } from '../section.js';
import { formatShape } from '../format.js';
import { href } from '../router.js';
import { CubeWorkspace } from './CubeWorkspace.js';
import { ErrorBox, Loading } from './status.js';

export function CubeView({ name, index, query }: { name: string; index: number; query: URLSearchParams }) {
  // The publication's JSON holds every cube's description and the coordinate systems the axis labels need.
  const pub = useLoad((signal) => getPublication(name, signal), [name]);
  if (pub.state === 'loading') return <Loading what={`cube ${index} of ${name}`} />;
  if (pub.state === 'error') return <ErrorBox error={pub.error} what={`publication ${name}`} />;
  const cube = pub.value.cubes[index];
  if (!cube) {
    return (
      <ErrorBox error={new Error(`publication ${name} has ${pub.value.cubes.length} cubes; there is no cube ${index}.`)} what={`cube ${index}`}>
        <p>
          <a href={href.publication(name)}>Back to {name}</a>
        </p>
      </ErrorBox>
    );
  }
  return (
    <article aria-labelledby="cube-heading">
      <h1 id="cube-heading">
        {cube.name} <span class="muted">/ {cube.units}</span>
      </h1>
      <p class="meta">
        cube {index} of <a href={href.publication(name)}>{pub.value.title ?? name}</a>
      </p>
      <CubeWorkspace
        key={`${name}/${index}`}
        cube={cube}
        coordSystems={pub.value.coord_systems}
        base={cubeUrl(name, index)}
        publication={name}
        query={query}
        self={{ name, index }}
        orographyBase={(() => {
          const orography = orographyCube(cube, pub.value.cubes);
          return orography && cubeUrl(name, orography.index);
        })()}
        others={groupIdenticalCubes(pub.value.cubes)
          .filter((g) => !g.indices.includes(index))
          .map((g) => ({ ref: { name, index: g.cube.index }, label: `cube ${g.cube.index}: ${g.cube.name} (${formatShape(g.cube.shape)})` }))}
      />
    </article>
  );
}

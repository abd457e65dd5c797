import type { PublicationIndex } from '@cubemark/format';
import { SchedulerError } from '../errors.js';

/** PUBLICATION_TOO_LARGE when a publication has more cubes or sources than a client publication may. */
export function checkPublicationSize(name: string, index: PublicationIndex, limits: { maxCubes: number; maxSources: number }): void {
  if (index.cubes.length > limits.maxCubes) {
    throw new SchedulerError('PUBLICATION_TOO_LARGE', `cannot publish '${name}': it has ${index.cubes.length} cubes; a publication may have at most ${limits.maxCubes}`, {
      details: { cubes: index.cubes.length, limit: limits.maxCubes },
    });
  }
  if (index.sources.length > limits.maxSources) {
    throw new SchedulerError('PUBLICATION_TOO_LARGE', `cannot publish '${name}': it has ${index.sources.length} sources; a publication may have at most ${limits.maxSources}`, {
      details: { sources: index.sources.length, limit: limits.maxSources },
    });
  }
}

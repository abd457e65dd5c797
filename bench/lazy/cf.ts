/**
 * The CF loader, from `@cubemark/cube` once its index exports it, else from its module in the source tree (the
 * index did not export it yet when this benchmark was written).
 */
import type * as CfModule from '../../packages/cube/src/cf/index.js';

export type LoadPublication = typeof CfModule.loadPublication;

export async function loadCf(): Promise<LoadPublication> {
  const cube = (await import('@cubemark/cube')) as Record<string, unknown>;
  if (typeof cube.loadPublication === 'function') return cube.loadPublication as LoadPublication;
  return (await import('../../packages/cube/src/cf/index.js')).loadPublication;
}

/**
 * The page's API client against a real scheduler: the publication route gives regular coordinates by their rule
 * only, and the client fills in their values exactly as the cube route lists them.
 */
import type { AddressInfo } from 'node:net';
import type { ArrayDescription, CubeDescription, Publication, RegularArray } from '@cubemark/format';
import { createScheduler, createServer, type SchedulerServer } from '@cubemark/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRegularValues } from '../src/app/api.js';
import { coordMeta, cubeMeta } from '../../format/test/helpers/items.js';

let server: SchedulerServer;
let url: string;

/** One cube whose dimension coordinates are regular in each numeric flavour, with steps floats cannot hold exactly. */
function regularPublication(): Publication {
  const axes: [string, RegularArray][] = [
    ['lat', { kind: 'regular', dtype: 'float32', shape: [7], start: [-4.5], step: 0.0135 }],
    ['lon', { kind: 'regular', dtype: 'float64', shape: [5], start: [353.2], step: 0.1 }],
    ['level', { kind: 'regular', dtype: 'int32', shape: [3], start: [10], step: 5 }],
  ];
  const dim_coords = Object.fromEntries(axes.map(([dim, points]) => [dim, coordMeta({ long_name: dim, var_name: dim, units: '1', dims: [dim], points })]));
  return {
    cubemark: 1,
    name: 'regular',
    provenance: {},
    sources: [],
    coord_systems: {},
    cubes: [
      cubeMeta({
        long_name: 'field',
        var_name: 'field',
        units: 'K',
        dims: ['lat', 'lon', 'level'],
        shape: [7, 5, 3],
        dtype: 'float32',
        dim_coords,
        data: { kind: 'inline', dtype: 'float32', shape: [7, 5, 3], values: new Float32Array(105) },
      }),
    ],
  };
}

beforeAll(async () => {
  const quiet = { info() {}, warn() {}, error() {} };
  server = await createServer(createScheduler({ log: quiet }));
  await server.listen({ port: 0 });
  await server.scheduler.publish('regular', { publication: regularPublication() });
  url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server?.close();
});

describe('withRegularValues', () => {
  it('gives the values the cube route lists, bit for bit, from the rule the publication route gives', async () => {
    const pub = (await (await fetch(`${url}/publications/regular`)).json()) as { cubes: CubeDescription[] };
    const cube = (await (await fetch(`${url}/publications/regular/cubes/0`)).json()) as CubeDescription;
    for (const key of ['lat', 'lon', 'level']) {
      const rule = pub.cubes[0]!.coords!.find((c) => c.key === key)!.points;
      const listed = cube.coords!.find((c) => c.key === key)!.points;
      expect(rule.values).toBeUndefined();
      expect(listed.values).toHaveLength(listed.shape[0]!);
      expect(withRegularValues(rule).values).toEqual(listed.values);
    }
  });

  it('leaves other arrays, and regular ones too long to list, as they are', () => {
    const inline: ArrayDescription = { kind: 'inline', dtype: 'float64', shape: [2], values: [1, 2] };
    expect(withRegularValues(inline)).toBe(inline);
    const long: ArrayDescription = { kind: 'regular', dtype: 'float64', shape: [1001], start: [0], step: 1 };
    expect(withRegularValues(long).values).toBeUndefined();
    expect(withRegularValues({ ...long, shape: [1000] }).values).toHaveLength(1000);
  });
});

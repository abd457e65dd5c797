import { describe, expect, test } from 'vitest';
import * as cluster from '@cubemark/cluster';
import { CLUSTER_ERROR_CODES, answerKey } from '@cubemark/cluster';
import { conventionTests } from '../../format/test/helpers/conventions.js';

describe('conventions', () => {
  conventionTests({ readme: new URL('../README.md', import.meta.url), errorCodes: Object.keys(CLUSTER_ERROR_CODES), exports: cluster }, (names) => {
    expect(names).toMatchInlineSnapshot(`
      [
        "CLUSTER_ERROR_CODES",
        "ClusterCompute",
        "ClusterError",
        "ClusterLock",
        "RedisRegistry",
        "ResultCache",
        "answerKey",
        "createCluster",
        "keysFor",
        "listMembers",
        "startWorker",
      ]
    `);
  });

  test("an answer's cache key: the version, the path and the query in any order, and whether JSON was asked for", () => {
    const base = { version: 'v1', url: '/publications/p/cubes/0/plot.png?sel=0,0,:,:&width=400' };
    expect(answerKey(base)).toBe(answerKey({ ...base, url: '/publications/p/cubes/0/plot.png?width=400&sel=0,0,:,:' }));
    expect(answerKey(base)).not.toBe(answerKey({ ...base, version: 'v2' }));
    expect(answerKey(base)).not.toBe(answerKey({ ...base, url: '/publications/p/cubes/0/plot.png?sel=1,0,:,:&width=400' }));
    expect(answerKey({ ...base, accept: 'application/json' })).not.toBe(answerKey(base));
    expect(answerKey({ ...base, accept: 'image/png' })).toBe(answerKey(base));
  });
});

/**
 * The file parser: what a valid file gives back (an index and the packed file, the model only when asked for and
 * only on the calling thread), in worker threads and inline, and that workers run at a lower priority.
 */
import { readFile } from 'node:fs/promises';
import { checkPublicationName, publicationIndex, serialize } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { createFileParser } from '@cubemark/restore';
import { sha256, unpack } from '../src/parse/check.js';
import { makePublication } from './helpers/publications.js';

const publication = makePublication('p', { seed: 3, sources: [{ uri: 'p.nc', size: 100 }] });
const bytes = Buffer.from(serialize(publication, { body: '\nProse.\n' }));

describe('createFileParser', () => {
  test.each([0, 1])('with %i threads: a valid file gives its index and packed bytes, no model', async (threads) => {
    const parser = await createFileParser({ threads });
    try {
      const checked = await parser.parse(bytes, 'p.cube.md', 'p');
      expect(checked.problems).toEqual([]);
      expect(checked.publication).toBeUndefined();
      expect(checked.index).toEqual(publicationIndex(publication));
      expect(Buffer.from(unpack(checked.packed!)).equals(bytes)).toBe(true);
      expect(checked.packed!.byteLength).toBeLessThan(bytes.byteLength / 2);
    } finally {
      await parser.close();
    }
  });

  test('inline, the model comes back too when asked for', async () => {
    const parser = await createFileParser({ threads: 0 });
    const checked = await parser.parse(bytes, 'p.cube.md', 'p', { keepModel: true });
    expect(checked.publication?.cubes).toHaveLength(publication.cubes.length);
  });

  test('an invalid file gives its problems and no index', async () => {
    const parser = await createFileParser({ threads: 1 });
    try {
      const checked = await parser.parse(Buffer.from('no frontmatter\n'), 'bad.cube.md', 'bad');
      expect(checked.problems.map((p) => p.code)).toEqual(['NO_FRONTMATTER']);
      expect([checked.index, checked.packed]).toEqual([undefined, undefined]);
    } finally {
      await parser.close();
    }
  });

  test('a file whose name the rule refuses gives INVALID_NAME, whatever it holds, even when its hash is recorded', async () => {
    const parser = await createFileParser({ threads: 0 });
    const name = `p${'x'.repeat(149)}`;
    const expected = checkPublicationName(name)!;
    for (const expectHash of [undefined, sha256(bytes)]) {
      const checked = await parser.parse(bytes, `${name}.cube.md`, name, { expectHash });
      expect(checked.problems).toEqual([{ code: 'INVALID_NAME', message: expected.message, file: `${name}.cube.md`, line: 1, column: 1, pointer: '' }]);
      expect([checked.index, checked.packed, checked.unchanged]).toEqual([undefined, undefined, undefined]);
    }
  });

  // Linux gives each thread a nice value of its own; elsewhere the workers run at the process's priority.
  test.skipIf(process.platform !== 'linux')('worker threads run at a lower priority than the thread that answers requests', async () => {
    const niceOfThreads = async () => {
      const { readdir } = await import('node:fs/promises');
      const tasks = await readdir('/proc/self/task');
      const stats = await Promise.all(tasks.map((t) => readFile(`/proc/self/task/${t}/stat`, 'utf8').catch(() => '')));
      // Field 19 of stat is the nice value; the command name (field 2) is in parentheses and may hold spaces.
      return stats.filter(Boolean).map((s) => Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[16]));
    };
    const before = await niceOfThreads();
    const parser = await createFileParser({ threads: 1 });
    try {
      await parser.parse(bytes, 'p.cube.md', 'p');
      const during = await niceOfThreads();
      expect(during.filter((n) => n === 10).length).toBe(before.filter((n) => n === 10).length + 1);
    } finally {
      await parser.close();
    }
  });
});

/**
 * The publication-name rule gives one answer whichever way a name arrives: a store file checked by `cubemark
 * validate`, a publish through `cubemark publish` and the HTTP API, and a file the restore finds in the store. Each
 * refuses a name the rule refuses with code INVALID_NAME and the rule's own message (`checkPublicationName`).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PUBLICATION_NAME_MAX_LENGTH, checkPublicationName, serialize, type Publication } from '@cubemark/format';
import { main } from '../src/main.js';
import { serveCommand } from '../src/commands/serve.js';
import type { Io } from '../src/io.js';

function capture(): Io & { text: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), isTty: false, text: () => ({ out, err }) };
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, ...io.text() };
}

const publication = (name: string): Publication => ({ cubemark: 1, name, provenance: {}, sources: [], coord_systems: {}, cubes: [] });

// 129 to 200 characters (too long), and '..' (which the restore's store once let through to crash the boot).
const NAMES = [129, 150, 200].map((n) => `n${n}-`.padEnd(n, 'x')).concat(['a..b']);
const TOKEN = 'secret-token';

const store = mkdtempSync(join(tmpdir(), 'cubemark-names-'));
const elsewhere = mkdtempSync(join(tmpdir(), 'cubemark-names-src-'));
const file = (dir: string, name: string) => join(dir, `${name}.cube.md`);
for (const name of [...NAMES, 'ok']) {
  writeFileSync(file(store, name), serialize(publication(name)));
  copyFileSync(file(store, name), file(elsewhere, name));
}

let url = '';
const stop = new AbortController();
const served = capture();
let serving: Promise<number>;

beforeAll(async () => {
  serving = serveCommand({ store, port: 0, token: TOKEN, signal: stop.signal }, served);
  for (let i = 0; i < 600 && !/restored \d+ publication/.test(served.text().err); i++) await new Promise((r) => setTimeout(r, 50));
  url = /listening on (\S+)/.exec(served.text().out)![1]!;
});

afterAll(async () => {
  stop.abort();
  expect(await serving).toBe(0);
});

describe.each(NAMES)('a name of %#: %s', (name) => {
  const expected = checkPublicationName(name)!;

  test('the rule refuses it', () => {
    expect(expected.code).toBe('INVALID_NAME');
    expect(expected.message).toContain(`'${name}' is not a valid publication name`);
  });

  test('cubemark validate of a file so named: INVALID_NAME at its name, the rule\'s message', async () => {
    const path = file(elsewhere, name);
    const r = await run('validate', path);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${path}:3:7 INVALID_NAME ${expected.message}\n`);
  });

  test('cubemark publish (the HTTP API) of that file: INVALID_NAME, the rule\'s message', async () => {
    const r = await run('publish', name, file(elsewhere, name), '--server', url, '--token', TOKEN);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`cubemark: INVALID_NAME ${expected.message}\n`);
  });

  test('the HTTP API, for a publish of sources and a read: 400 INVALID_NAME, the rule\'s message', async () => {
    const publish = await fetch(`${url}/publications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ name, sources: ['x.nc'] }),
    });
    expect([publish.status, await publish.json()]).toEqual([400, { code: 'INVALID_NAME', message: expected.message }]);
    const read = await fetch(`${url}/publications/${encodeURIComponent(name)}`);
    expect([read.status, await read.json()]).toEqual([400, { code: 'INVALID_NAME', message: expected.message }]);
  });

  test('a store file so named: the restore quarantines it with INVALID_NAME, the rule\'s message', async () => {
    expect(served.text().err).toContain(`quarantined ${file(store, name)}:1:1 INVALID_NAME ${expected.message}`);
    expect(existsSync(file(store, name))).toBe(false);
    // The copy's name is cut to the rule's length, so that it fits a file name with its timestamp.
    const copies = readdirSync(join(store, '.quarantine')).filter((f) => f.startsWith(`${name.slice(0, PUBLICATION_NAME_MAX_LENGTH)}.`));
    expect(copies.filter((f) => f.endsWith('.errors.txt'))).toHaveLength(1);
    const list = await run('list', '--server', url);
    expect(list.out.split('\n')).not.toContain(name);
  });
});

test('the valid file beside them is restored and served', async () => {
  expect(served.text().err).toMatch(/restored 1 publication \(0 cubes\)/);
  expect((await run('list', '--server', url)).out).toContain('ok');
});

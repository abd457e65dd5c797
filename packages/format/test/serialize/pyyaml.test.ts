/**
 * PyYAML (a YAML 1.1 reader, Debian `python3-yaml`) loads every file `cubemark fmt` writes: the conformance
 * examples, the committed fixtures, generated publications and one full of strings YAML 1.1 gives meaning to
 * (`<<`, `yes`, `=`, `0b1`, `1:20`). The canonical writer quotes what a YAML 1.1 reader would misread or refuse.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parse, serialize, type Publication } from '../../src/index.js';
import { publicationArbitrary } from '../helpers/arbitrary.js';

const repo = new URL('../../../../', import.meta.url).pathname;
const cubeFiles = (dir: string) => readdirSync(join(repo, dir)).filter((f) => f.endsWith('.cube.md')).map((f) => join(repo, dir, f));

function formatted(file: string): string {
  const r = parse(readFileSync(file), { file });
  if (!r.publication) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return serialize(r.publication, { body: r.body });
}

const tricky: Publication = {
  cubemark: 1.1,
  name: 'yaml-1-1',
  provenance: { '<<': '<<', yes: 'no', on: 'off', value: '=' },
  sources: [],
  coord_systems: {},
  cubes: [
    {
      long_name: '<<',
      units: '1',
      dtype: 'float64',
      dims: [],
      shape: [],
      data: { kind: 'inline', dtype: 'float64', shape: [], values: Float64Array.from([1]) },
      attributes: { '<<': '<<', merge: ['<<', '='], octal: '0o17', binary: '0b1', sexagesimal: '1:20', y: 'n', tilde: '~', beta: { dtype: 'float64', values: Float64Array.from([1]) } },
      global_attributes: { '=': 'x' },
      cell_methods: [{ method: '<<', coords: ['<<'], intervals: [], comments: ['='] }],
      dim_coords: {},
      aux_coords: {},
      derived_coords: {},
      cell_measures: {},
      ancillary_variables: {},
    },
  ],
};

test('PyYAML loads every file fmt writes', () => {
  const texts = [
    ...cubeFiles('spec/conformance/valid').map(formatted),
    ...cubeFiles('fixtures').map(formatted),
    ...cubeFiles('fixtures/iris-test-data').map(formatted),
    ...fc.sample(publicationArbitrary, { numRuns: 100, seed: 13 }).map((p) => serialize(p)),
    serialize(tricky),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'cubemark-pyyaml-'));
  const paths = texts.map((text, i) => {
    const path = join(dir, `${i}.yaml`);
    writeFileSync(path, text.slice(4, text.indexOf('\n---\n') + 1));
    return path;
  });
  // Each file's top-level keys as PyYAML reads them, or the error it raises.
  const script = [
    'import sys, json, yaml',
    'out = []',
    'for p in sys.argv[1:]:',
    '    try:',
    '        v = yaml.safe_load(open(p, encoding="utf-8"))',
    '        out.append(sorted(v.keys()))',
    '    except Exception as e:',
    '        out.append("%s: %s" % (p, e))',
    'print(json.dumps(out))',
  ].join('\n');
  const result = JSON.parse(execFileSync('python3', ['-c', script, ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 })) as (string[] | string)[];
  expect(result.filter((r) => typeof r === 'string')).toEqual([]);
  expect(result).toHaveLength(texts.length);
  // The tricky publication reads back as written: PyYAML saw strings, not a merge or a boolean.
  const last = execFileSync('python3', ['-c', 'import sys, json, yaml; v = yaml.safe_load(open(sys.argv[1])); print(json.dumps([v["provenance"], v["cubes"][0]["attributes"]]))', paths.at(-1)!], { encoding: 'utf8' });
  expect(JSON.parse(last)).toEqual([
    { '<<': '<<', yes: 'no', on: 'off', value: '=' },
    { '<<': '<<', merge: ['<<', '='], octal: '0o17', binary: '0b1', sexagesimal: '1:20', y: 'n', tilde: '~', beta: 1.0 },
  ]);
});

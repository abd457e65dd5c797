/**
 * bench/format: parse+validate and serialize throughput of cubemark files, beside JSON.parse + ajv on the same
 * content. `npm run bench:format [-- --publications 1000 --cubes 60]`. Prints numbers; asserts nothing.
 */
import { parse, serialize } from '@cubemark/format';
import { generatePublication } from './generate.js';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const { values } = parseArgs({ options: { publications: { type: 'string', default: '1000' }, cubes: { type: 'string', default: '60' } } });
const nPubs = Number(values.publications);
const nCubes = Number(values.cubes);

const mb = (bytes: number) => bytes / 1e6;
const rate = (bytes: number, ms: number) => `${(mb(bytes) / (ms / 1000)).toFixed(1)} MB/s`;

console.log(`generating ${nPubs} publications × ${nCubes} cubes ...`);
const models = Array.from({ length: nPubs }, (_, i) => generatePublication(i, nCubes));

let t = performance.now();
const texts = models.map((m) => serialize(m));
const serializeMs = performance.now() - t;
const totalBytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0);
console.log(`content: ${mb(totalBytes).toFixed(1)} MB, ${(totalBytes / nPubs / 1024).toFixed(1)} KB per publication`);
console.log(`serialize:           ${serializeMs.toFixed(0)} ms  ${rate(totalBytes, serializeMs)}  ${((nPubs * nCubes) / (serializeMs / 1000)).toFixed(0)} cubes/s`);

// Warm up, then measure parse + validate.
for (let i = 0; i < Math.min(20, texts.length); i++) parse(texts[i]!);
t = performance.now();
let errors = 0;
for (const text of texts) errors += parse(text).errors.length;
const parseMs = performance.now() - t;
console.log(`parse+validate:      ${parseMs.toFixed(0)} ms  ${rate(totalBytes, parseMs)}  ${((nPubs * nCubes) / (parseMs / 1000)).toFixed(0)} cubes/s  (errors: ${errors})`);

// The same frontmatter as JSON, through JSON.parse and the same compiled schema validator.
const require = createRequire(import.meta.url);
void require;
const { validate } = (await import('../../packages/format/src/schema/validator.generated.js')) as unknown as { validate: (v: unknown) => boolean };
const { parseYamlSlow } = await import('../../packages/format/src/yaml/slow.js');
const jsons = texts.map((text) => JSON.stringify(parseYamlSlow(text.slice(4, text.indexOf('\n---\n') + 1), { maxBytes: 1e9, maxDepth: 64 }).value));
const jsonBytes = jsons.reduce((n, s) => n + Buffer.byteLength(s), 0);
t = performance.now();
let valid = 0;
for (const j of jsons) if (validate(JSON.parse(j))) valid++;
const jsonMs = performance.now() - t;
console.log(`JSON.parse + ajv:    ${jsonMs.toFixed(0)} ms  ${rate(jsonBytes, jsonMs)} of JSON (${mb(jsonBytes).toFixed(1)} MB), ${rate(totalBytes, jsonMs)} in cubemark-bytes terms  (valid: ${valid})`);
console.log(`ratio: parse+validate takes ${(parseMs / jsonMs).toFixed(1)}× JSON.parse + ajv`);

// The reference YAML reader alone, on a sample, for scale.
const sample = texts.slice(0, Math.max(1, Math.floor(nPubs / 20)));
const sampleBytes = sample.reduce((n, s) => n + Buffer.byteLength(s), 0);
t = performance.now();
for (const text of sample) parseYamlSlow(text.slice(4, text.indexOf('\n---\n') + 1), { maxBytes: 1e9, maxDepth: 64 });
const slowMs = performance.now() - t;
console.log(`reference YAML only: ${rate(sampleBytes, slowMs)} (eemeli/yaml with positions, on ${sample.length} files)`);

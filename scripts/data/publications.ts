/**
 * The committed fixture publications, made by the CF loader from the demo data and the iris-test-data files and
 * serialized with hand-written prose. `makePublications()` returns path → text and writes nothing:
 * `make-fixtures.ts` writes them, and the fixtures test compares them with the committed files.
 *
 * Bases (what the relative source URIs resolve against):
 * - `fixtures/ukv-demo.cube.md`, `fixtures/climate-360day.cube.md`: `fixtures/` (URIs `data/generated/...`).
 * - `fixtures/iris-test-data/*.cube.md`: the iris-test-data folder, `$CUBEMARK_IRIS_TEST_DATA`, else
 *   `shared/data/iris-test-data` found beside the checkout (`../shared/data/iris-test-data` from the repo root).
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadPublication, type CfWarning } from '@cubemark/cube';
import { serialize, type Publication } from '@cubemark/format';
import { irisLoadError, irisTestDataDir, knownGap } from '../../packages/format/test/summary/iris-reading.js';

export { irisTestDataDir };
import { CLIMATE_FILES } from './climate.js';
import { DEMO_DATA_BASE, FIXTURES_DIR, GENERATED_DIR } from './paths.js';
import { UKV_PARAMETERS, ukvFileName } from './ukv.js';


/**
 * Coordinates with more values than this stay references into the files: the demo's 2-D latitude, longitude
 * and orography (81 × 62) would otherwise be inlined into every cube and make the fixture megabytes long.
 */
const MAX_INLINE_VALUES = 1000;

const TOOL = 'cubemark scripts/data/make-fixtures.ts';
const CONTACT = 'the cubemark maintainers (open an issue in the cubemark repository)';


function warningList(warnings: CfWarning[]): string {
  if (warnings.length === 0) return 'The CF loader gave no warnings.\n';
  const lines = warnings.map((w) => `- \`${w.code}\`: ${w.message.replace(/\s+/g, ' ')}`);
  return `The CF loader's warnings, kept here so a reader knows what it could not interpret:\n\n${lines.join('\n')}\n`;
}

function body(title: string, prose: string): string {
  return `\n# ${title}\n\n${prose.trim()}\n\n`;
}

async function load(uris: string[], name: string, base: string): Promise<{ publication: Publication; warnings: CfWarning[] }> {
  return loadPublication(uris, { name, base, maxInlineValues: MAX_INLINE_VALUES });
}

async function ukvDemo(): Promise<[string, string]> {
  const uris = UKV_PARAMETERS.map((p) => `data/generated/ukv-demo/${ukvFileName(p.id)}`).sort();
  const { publication, warnings } = await load(uris, 'ukv-demo', DEMO_DATA_BASE);
  publication.title = 'UKV-like demo model run (synthetic)';
  publication.provenance = {
    tool: TOOL,
    data: 'scripts/data/ukv.ts, generateUkvRun(dir, {scale: "demo", seed: 1}); regenerate with make-fixtures.ts',
    contact: CONTACT,
  };
  const prose = `
A small, synthetic model run laid out like the Met Office UKV (the UK configuration of the Unified Model) as
Iris saves it: one NetCDF classic file per parameter, ${UKV_PARAMETERS.length} parameters in all, for the run
of 2024-06-01 03Z (${publication.cubes.length} cubes: as Iris does, the loader also makes a cube of each model-level
file's \`surface_altitude\`). Ten parameters are on model levels (temperature, potential temperature, humidity, winds,
vertical velocity, pressure, cloud fraction, cloud liquid and ice) with the hybrid height coordinate
(\`level_height\`, \`sigma\`, \`surface_altitude\`); the others are surface or screen-level fields, some with a
\`height\` scalar coordinate and some time-processed (\`time: mean\`, \`time: maximum\`, \`time: minimum\`) with
time bounds over the hour before each point. The grid is rotated pole (north pole at 37.5°N 177.5°E) with 2-D
\`latitude\`/\`longitude\` auxiliary coordinates.

Caveats:

- The values are smooth analytic fields with a made-up island for orography, not a forecast. Use this data to
  exercise tools, never to look at weather.
- The grid is ten times coarser than the real UKV (81 × 62 points, 0.135°), with only the lowest 5 of 70 model
  levels and 4 times (T+0 to T+3, or T+1 to T+4 for time-processed fields).
- Winds are on the same grid as everything else (the real UKV staggers them).
- \`screen_temperature\` and \`surface_temperature\` have a few masked points (\`_FillValue\` -2^30, the UM's
  missing-data indicator) on purpose.
- The data files are not committed: \`node --conditions=source --import tsx scripts/data/make-fixtures.ts\`
  writes them to \`fixtures/data/generated/\`. Source URIs are relative to \`fixtures/\`.

${warningList(warnings)}
Who to ask: ${CONTACT}.
`;
  return [join(FIXTURES_DIR, 'ukv-demo.cube.md'), serialize(publication, { body: body(publication.title, prose) })];
}

async function climate(): Promise<[string, string]> {
  const uris = [CLIMATE_FILES.monthly, CLIMATE_FILES.climatology].map((f) => `data/generated/climate-360day/${f}`);
  const { publication, warnings } = await load(uris, 'climate-360day', DEMO_DATA_BASE);
  publication.title = 'Monthly climate on a 360-day calendar (synthetic)';
  publication.provenance = {
    tool: TOOL,
    data: 'scripts/data/climate.ts, generateClimate360(dir, {seed: 1}); regenerate with make-fixtures.ts',
    contact: CONTACT,
  };
  const prose = `
Ten years (2000-2009) of monthly mean near-surface air temperature on a global 2.5° grid and a 360-day
calendar (twelve months of thirty days), as a climate model's post-processing writes it, together with the
monthly climatology of temperature and precipitation over those years. The climatology has climatological time
bounds (each month from its start in 2000 to its end in 2009) and the cell methods
\`time: mean within years time: mean over years\`.

Caveats:

- The values are smooth analytic fields (a zonal profile, a seasonal cycle, a small trend), not model output.
- Dates are 360-day calendar dates: 2000-02-30 exists, 2000-01-31 does not. Tools that assume the standard
  calendar will put these months in the wrong place.
- The data files are not committed: \`node --conditions=source --import tsx scripts/data/make-fixtures.ts\`
  writes them to \`fixtures/data/generated/\`. Source URIs are relative to \`fixtures/\`.

${warningList(warnings)}
Who to ask: ${CONTACT}.
`;
  return [join(FIXTURES_DIR, 'climate-360day.cube.md'), serialize(publication, { body: body(publication.title, prose) })];
}

/** Every NetCDF file of the iris-test-data (`*.nc`), relative to its folder, sorted. */
async function irisNetcdfFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.nc')) out.push(relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
  }
  return out.sort();
}

async function irisPublications(): Promise<[string, string][]> {
  const dir = irisTestDataDir();
  const out: [string, string][] = [];
  for (const file of await irisNetcdfFiles(dir)) {
    // Not read as Iris reads it yet: no fixture until its issue lands (the tests list these gaps). A file Iris
    // refuses (it raised instead of loading cubes) has no publication either.
    if (knownGap(file, dir) || irisLoadError(file)) continue;
    const stem = file.split('/').pop()!.replace(/\.nc$/, '');
    const { publication, warnings } = await load([file], stem, dir);
    // mtimes differ between copies of shared/: keep only the size.
    for (const s of publication.sources) delete s.mtime;
    publication.title = `iris-test-data: ${file}`;
    publication.provenance = {
      tool: TOOL,
      data: `SciTools iris-test-data 2.28, ${file} (British Crown copyright, Open Government Licence)`,
      base: 'CUBEMARK_IRIS_TEST_DATA, else ../shared/data/iris-test-data relative to the repository',
      contact: CONTACT,
    };
    const prose = `
\`${file}\` from SciTools' iris-test-data (version 2.28): a real file written by real tools, kept unchanged,
which Iris's own tests load. Its expected reading (what Iris prints for its cubes) is in \`IRIS-READING.md\`
beside the data.

The source URI is relative to the iris-test-data folder: \`$CUBEMARK_IRIS_TEST_DATA\` when set, else
\`shared/data/iris-test-data\` beside the checkout (\`../shared/data/iris-test-data\` from the repository root).

Licence: British Crown copyright, under the UK Open Government Licence.

${warningList(warnings)}
Who to ask: ${CONTACT}.
`;
    out.push([join(FIXTURES_DIR, 'iris-test-data', `${stem}.cube.md`), serialize(publication, { body: body(publication.title, prose) })]);
  }
  return out;
}

/** Every fixture publication: absolute path → canonical text. Needs the demo data in `fixtures/data/generated/`. */
export async function makePublications(options: { log?: (line: string) => void } = {}): Promise<Map<string, string>> {
  if (!existsSync(GENERATED_DIR)) throw new Error(`no demo data in ${GENERATED_DIR}: run make-fixtures.ts first`);
  const out = new Map<string, string>([await ukvDemo(), await climate(), ...(await irisPublications())]);
  options.log?.(`publications: ${out.size} made`);
  return out;
}

#!/usr/bin/env node
// One-shot set-up for a fresh clone with only Node 20 and npm: pnpm, dependencies, system tools, build.
// Idempotent and quick when everything is already in place. `--test` also provisions what the tests need.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PNPM_VERSION = '12.4.2';
const forTests = process.argv.includes('--test');
const log = (msg) => process.stderr.write(`setup: ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}
function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
function version(cmd) {
  try {
    return execFileSync(cmd, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  log(`Node ${process.versions.node} is too old: cubemark needs Node 20 or later.`);
  process.exit(1);
}

// pnpm: exactly this version (other 12.x builds are not served by the registry).
if (version('pnpm') !== PNPM_VERSION) {
  log(`installing pnpm ${PNPM_VERSION}`);
  run('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`, '--no-audit', '--no-fund']);
}

// System packages from Debian: ncgen makes NetCDF fixtures; the test services come from here too.
const wanted = [['ncgen', 'netcdf-bin']];
if (forTests) wanted.push(['redis-server', 'redis-server'], ['chromium', 'chromium'], ['fc-list', 'fontconfig']);
const missing = wanted.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
// netCDF4-python in Debian's python3: the oracle the packing tests compare decoded values with.
if (forTests && !existsSync('/usr/share/fonts/truetype/dejavu')) missing.push('fonts-dejavu-core');
// Test oracles and the Python side, from Debian: h5py/netCDF4 make and check HDF5 files; xmllint checks NcML;
// xarray, zarr and fsspec read kerchunk exports; yaml, numpy and jsonschema run the Python reader; distributed
// runs a Dask scheduler with the cubemark plugin.
if (forTests) {
  if (!has('xmllint')) missing.push('libxml2-utils');
  const modules = [
    ['h5py', 'python3-h5py'],
    ['netCDF4', 'python3-netcdf4'],
    ['yaml', 'python3-yaml'],
    ['numpy', 'python3-numpy'],
    ['jsonschema', 'python3-jsonschema'],
    ['xarray', 'python3-xarray'],
    ['fsspec', 'python3-fsspec'],
    ['zarr', 'python3-zarr'],
    ['aiohttp', 'python3-aiohttp'],
    ['distributed', 'python3-distributed'],
  ];
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const pyHas = (m) => spawnSync(python, ['-c', `import ${m}`], { stdio: 'ignore' }).status === 0;
  for (const [module, pkg] of modules) if (!pyHas(module)) missing.push(pkg);
}
if (missing.length > 0) {
  if (!has('apt-get')) {
    log(`missing ${missing.join(', ')} and no apt-get here: install them with your package manager.`);
  } else {
    log(`installing Debian packages: ${missing.join(' ')}`);
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const apt = (args) => run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    apt(['update', '-qq']);
    apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  }
}

log('installing dependencies');
run('pnpm', ['install', '--frozen-lockfile', '--reporter=silent']);
log('building');
run('pnpm', ['run', '--silent', 'build']);

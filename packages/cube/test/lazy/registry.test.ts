import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { UnknownPluginError } from '../../src/errors.js';
import { builtinPlugins } from '../../src/readers/builtin.js';
import { FormatNotDetectedError, PluginLoadError } from '../../src/readers/errors.js';
import { createPluginRegistry, defaultRegistry, getPlugin, PluginRegistry, registerPlugin } from '../../src/readers/registry.js';
import type { DataSourcePlugin } from '../../src/readers/types.js';

const DATA = '/work/shared/data/iris-test-data/NetCDF';

async function head(path: string, n = 1024): Promise<Uint8Array> {
  const fh = await open(path);
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function fakePlugin(name: string, sniff: DataSourcePlugin['sniff'] = () => false): DataSourcePlugin {
  return {
    name,
    sniff,
    openDataset: () => Promise.reject(new Error('unused')),
    openArray: () => Promise.reject(new Error('unused')),
  };
}

function counted(plugin: DataSourcePlugin): { load: () => Promise<DataSourcePlugin>; loads: () => number } {
  let n = 0;
  return {
    load: async () => {
      n++;
      return plugin;
    },
    loads: () => n,
  };
}

describe('PluginRegistry', () => {
  it('loads a plugin only when first asked for, and once', async () => {
    const registry = new PluginRegistry();
    const grib = counted(fakePlugin('grib'));
    registry.register('grib', grib.load);
    expect(grib.loads()).toBe(0);
    const [a, b] = await Promise.all([registry.get('grib'), registry.get('grib')]);
    expect(a).toBe(b);
    expect(grib.loads()).toBe(1);
  });

  it('names an unknown plugin and says one may be missing', async () => {
    const error = await new PluginRegistry().get('grib').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownPluginError);
    expect(error).toMatchObject({ code: 'UNKNOWN_PLUGIN', message: expect.stringMatching(/'grib'.*may be missing/) });
  });

  it('reports a failing loader as PLUGIN_LOAD_FAILED and retries it next time', async () => {
    const registry = new PluginRegistry();
    let attempts = 0;
    registry.register('flaky', async () => {
      if (attempts++ === 0) throw new Error('disk on fire');
      return fakePlugin('flaky');
    });
    await expect(registry.get('flaky')).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED', message: expect.stringMatching(/'flaky'.*disk on fire/) });
    expect((await registry.get('flaky')).name).toBe('flaky');
  });

  it('rejects a loader that does not produce a plugin', async () => {
    const registry = new PluginRegistry();
    registry.register('odd', async () => ({ name: 'odd' }) as unknown as DataSourcePlugin);
    await expect(registry.get('odd')).rejects.toBeInstanceOf(PluginLoadError);
  });

  it('reports a plugin module that is absent from the build, naming the plugin', async () => {
    const registry = new PluginRegistry();
    const specifier = './grib-plugin-not-built.js';
    registry.register('grib', async () => (await import(/* @vite-ignore */ specifier)) as DataSourcePlugin);
    await expect(registry.get('grib')).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringMatching(/'grib' could not be loaded: .*grib-plugin-not-built.*may be missing/),
    });
  });

  it('loads each built-in plugin under its own name', async () => {
    const registry = createPluginRegistry();
    for (const name of registry.names) expect((await registry.get(name)).name).toBe(name);
  });

  it('keeps registries apart', async () => {
    const a = createPluginRegistry();
    const b = createPluginRegistry();
    a.register('grib', async () => fakePlugin('grib'));
    expect(a.has('grib')).toBe(true);
    expect(b.has('grib')).toBe(false);
    expect(defaultRegistry.has('grib')).toBe(false);
  });

  it('serves the default registry through registerPlugin / getPlugin', async () => {
    registerPlugin('test-default', async () => fakePlugin('test-default'));
    try {
      expect((await getPlugin('test-default')).name).toBe('test-default');
    } finally {
      defaultRegistry.unregister('test-default');
    }
  });
});

describe('detectFormat', () => {
  it('starts with the built-ins in detection order', () => {
    expect(builtinPlugins.map((p) => p.name)).toEqual(['netcdf', 'hdf5', 'zarr', 'kerchunk', 'pp', 'inline']);
    expect(createPluginRegistry().names).toEqual(['netcdf', 'hdf5', 'zarr', 'kerchunk', 'pp', 'inline']);
  });

  it('recognises classic NetCDF, NetCDF-4 (HDF5) and Zarr', async () => {
    const registry = createPluginRegistry();
    const classic = `${DATA}/label_and_climate/small_FC_167_mon_19601101.nc`;
    const nc4 = `${DATA}/lambert_azimuthal_equal_area/euro_air_temp.nc`;
    expect(await registry.detectFormat(classic, await head(classic))).toBe('netcdf');
    expect(await registry.detectFormat(nc4, await head(nc4))).toBe('hdf5');
    expect(await registry.detectFormat('s3://bucket/run.zarr/', new Uint8Array())).toBe('zarr');
    const zattrs = new TextEncoder().encode('{"zarr_format": 2}');
    expect(await registry.detectFormat('/data/x/.zgroup', zattrs)).toBe('zarr');
    const refs = new TextEncoder().encode('{"version": 1, "refs": {".zgroup": "{\\"zarr_format\\": 2}"}}');
    expect(await registry.detectFormat('/data/refs.json', refs)).toBe('kerchunk');
  });

  it('recognises UM PP files (either byte order) and fieldsfiles by content, whatever their names', async () => {
    const registry = createPluginRegistry();
    const pp = `${DATA}/../PP/aPPglob1/global.pp`;
    const le = `${DATA}/../PP/little_endian/qrparm.orog.pp`;
    const ff = `${DATA}/../FF/n48_multi_field`;
    expect(await registry.detectFormat('/any/name.dat', await head(pp))).toBe('pp');
    expect(await registry.detectFormat('/any/name.dat', await head(le))).toBe('pp');
    expect(await registry.detectFormat('/any/name', await head(ff))).toBe('pp');
  });

  it('uses a registration sniffer instead of loading the plugin', async () => {
    const registry = new PluginRegistry();
    const heavy = counted(fakePlugin('heavy', () => true));
    registry.register('heavy', heavy.load, { sniff: (h) => h[0] === 1 });
    const light = counted(fakePlugin('light', (h) => h[0] === 2));
    registry.register('light', light.load);
    expect(await registry.detectFormat('x', Uint8Array.of(2))).toBe('light');
    expect(heavy.loads()).toBe(0);
    expect(light.loads()).toBe(1);
  });

  it('names the URI, the plugins tried and the first bytes when nothing matches', async () => {
    const error = await createPluginRegistry()
      .detectFormat('/data/notes.txt', new TextEncoder().encode('hello'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatNotDetectedError);
    expect(error).toMatchObject({
      code: 'FORMAT_NOT_DETECTED',
      message: expect.stringMatching(/\/data\/notes\.txt.*tried netcdf, hdf5, zarr, kerchunk, pp, inline.*68 65 6c 6c 6f/),
    });
  });
});

/**
 * The explorer in a real browser (Debian's chromium through playwright-core) against a real scheduler holding
 * real NetCDF files (see fixtures/). Screenshots go to artifacts/screenshots/ (gitignored).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORER_ROOT, startExplorer, type Running } from './fixtures/server.js';
import proj4 from 'proj4';
import { MASKED_DIAGONAL, UKV, airTemperature } from './fixtures/data.js';
import { COAST, MANY, PROJECTED } from './fixtures/maps.js';

const SHOTS = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UKV_NAME = 'ukv-20170515T03Z';

let running: Running;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

async function shot(name: string, on: Page = page): Promise<void> {
  await on.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** Whether the first two maps of `maps` are drawn, on one colour scale. */
async function drawnOnOneScale(maps: Locator): Promise<boolean> {
  const [a, b] = await Promise.all([maps.nth(0).getAttribute('data-scale'), maps.nth(1).getAttribute('data-scale')]);
  return a !== null && a === b;
}

/** The plot rectangle and grid the page drew last (CSS pixels, relative to the canvas). */
interface PlotInfo {
  x: number;
  y: number;
  width: number;
  height: number;
  nx: number;
  ny: number;
  flipY: boolean;
}

async function plotInfo(): Promise<PlotInfo> {
  return JSON.parse((await page.locator('canvas.map').getAttribute('data-plot')) ?? 'null') as PlotInfo;
}

/** Position of the centre of cell (i, j) of the drawn map, relative to the canvas (CSS pixels). */
async function cellPosition(i: number, j: number): Promise<{ x: number; y: number }> {
  const info = await plotInfo();
  const row = info.flipY ? info.ny - 1 - j : j;
  return { x: info.x + ((i + 0.5) / info.nx) * info.width, y: info.y + ((row + 0.5) / info.ny) * info.height };
}

/** Hover (or click) the map at a canvas-relative position; Playwright scrolls it into view first. */
async function pointAt(position: { x: number; y: number }, click = false): Promise<void> {
  const map = page.locator('canvas.map');
  await (click ? map.click({ position }) : map.hover({ position }));
}

async function canvasPixels(selector = 'canvas.map'): Promise<string> {
  return page.evaluate<string>(`document.querySelector(${JSON.stringify(selector)}).toDataURL()`);
}

async function waitForSel(sel: string): Promise<void> {
  await page.locator(`canvas.map[data-sel="${sel}"]`).waitFor({ timeout: 15_000 });
}

/** Press `keys` in turn on the time slider, then wait for the map of `sel`, whose time must read `time`. */
async function moveTime(keys: string[], sel: string, time: string): Promise<void> {
  await page.getByLabel('time', { exact: true }).focus();
  for (const key of keys) await page.keyboard.press(key);
  await waitForSel(sel);
  expect(await page.getByTestId('value-time').innerText()).toContain(time);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  await mkdir(SHOTS, { recursive: true });
  running = await startExplorer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // The page must never fetch anything from elsewhere (no CDN, no images from a publication's Markdown).
  const origin = new URL(running.pageUrl).origin;
  await page.route('**/*', (route) => (route.request().url().startsWith(origin) || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

describe('explorer in a browser', () => {
  it('lists publications with title, cube count, lazy size and state, and searches them', async () => {
    await page.goto(running.pageUrl);
    const rows = page.locator('table.publications tbody tr');
    await expect.poll(() => rows.count()).toBe(6 + running.demos.length);
    const ukv = rows.filter({ hasText: UKV_NAME });
    // 4×2 + 4 + 2×2 fields of 810 × 621 float32: 30.7 MiB if read.
    await expect.poll(() => ukv.innerText()).toMatch(/UKV deterministic forecast, 15 May 2017 03Z\s+3\s+30\.7 MiB\s+restored/);
    await shot('01-publications');
    await page.getByLabel('Search by name or title').fill('climate 360');
    await expect.poll(() => rows.count()).toBe(1 + running.demos.filter((d) => d.includes('360')).length);
    await expect.poll(() => rows.first().innerText()).toContain('climate-360day');
    await page.getByLabel('Search by name or title').fill('');
  });

  it('shows a publication: sanitised Markdown and the table of parameters', async () => {
    await page.getByRole('link', { name: UKV_NAME }).click();
    await page.locator('.prose h1').waitFor();
    const prose = page.locator('.prose');
    expect(await prose.locator('strong').first().innerText()).toBe('UKV-like');
    expect(await prose.locator('script, iframe, [onerror]').count()).toBe(0);
    expect(await prose.locator('a', { hasText: 'a bad link' }).getAttribute('href')).toBeNull();
    expect(await prose.locator('a', { hasText: 'a good one' }).getAttribute('href')).toBe('https://example.org/ukv');
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    const cubes = page.locator('table.cubes tbody tr');
    expect(await cubes.count()).toBe(3);
    expect((await cubes.nth(0).innerText()).replace(/\s+/g, ' ')).toMatch(
      /^0 air_temperature K 4 × 2 × 810 × 621 time, model_level_number, grid_latitude, grid_longitude time: point 1 /,
    );
    expect((await cubes.nth(1).innerText()).replace(/\s+/g, ' ')).toContain('x_wind m s-1 4 × 810 × 621');
    await shot('02-publication');
  });

  const latencies: number[] = [];
  const fetches: number[] = [];
  const draws: number[] = [];

  it('plots a cube; moving the time widget redraws the map with other pixels', async () => {
    await page.locator('table.cubes').getByRole('link', { name: 'air_temperature' }).first().click();
    await waitForSel('0,0,:,:');
    expect(await page.getByTestId('value-time').innerText()).toContain('2017-05-15 03:00');
    expect(await page.getByTestId('value-model_level_number').innerText()).toContain('1');
    expect(await page.locator('canvas.map').getAttribute('aria-describedby')).toBeTruthy();
    const description = await page.locator('figcaption .description').innerText();
    expect(description).toMatch(/^air_temperature in K on a 810 × 621 grid: minimum 2\d\d(\.\d+)?, maximum 2\d\d(\.\d+)?; 1830 cells missing\.( The map shows 4\d\.\d°N to 5\d\.\d°N, 1\d\.\d°W to \d\.\d°E, with coastlines and a graticule\.)?$/);
    // The region shown joins the description once the coastlines are in.
    await expect.poll(() => page.locator('figcaption .description').innerText()).toMatch(/ The map shows 4\d\.\d°N to 5\d\.\d°N, 1\d\.\d°W to \d\.\d°E, with coastlines and a graticule\.$/);
    const before = await canvasPixels();
    await shot('03-cube-time-0');

    await moveTime(['ArrowRight'], '1,0,:,:', '2017-05-15 04:00');
    const after = await canvasPixels();
    expect(after).not.toBe(before);
    await shot('04-cube-time-1');

    // Step through the hours and back, measuring widget-to-pixels latency (fetch 2.5 MB + decode + colour + draw).
    for (const [key, sel] of [['ArrowRight', '2,0,:,:'], ['ArrowRight', '3,0,:,:'], ['ArrowLeft', '2,0,:,:'], ['ArrowLeft', '1,0,:,:'], ['ArrowRight', '2,0,:,:'], ['ArrowRight', '3,0,:,:']] as const) {
      await page.keyboard.press(key);
      await waitForSel(sel);
      const map = page.locator('canvas.map');
      latencies.push(Number(await map.getAttribute('data-latency-ms')));
      fetches.push(Number(await map.getAttribute('data-fetch-ms')));
      draws.push(Number(await map.getAttribute('data-draw-ms')));
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)];
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const timings = {
      servedByScheduler: running.servedByScheduler,
      bytes: Number(await page.locator('canvas.map').getAttribute('data-bytes')),
      latenciesMs: latencies,
      medianMs: median,
      medianFetchMs: med(fetches),
      medianDrawMs: med(draws),
    };
    await writeFile(`${SHOTS}timings.json`, JSON.stringify(timings, null, 2));
    expect(median).toBeLessThan(1000); // "a fraction of a second" for a UKV-sized slice
  });

  it('cancels stale requests: rapid moves end on the last selection', async () => {
    await moveTime(['ArrowLeft', 'ArrowLeft', 'ArrowLeft'], '0,0,:,:', '2017-05-15 03:00');
  });

  /** The cell the page says is under the cursor (cells are under a pixel wide here, so aim is approximate). */
  async function cursorCell(): Promise<{ i: number; j: number }> {
    const [i, j] = ((await page.getByTestId('readout').getAttribute('data-cell')) ?? '').split(',').map(Number);
    return { i, j };
  }

  it('reads the value under the cursor, the same as the API gives for that cell', async () => {
    await pointAt(await cellPosition(300, 400));
    const { i, j } = await cursorCell();
    expect(Math.abs(i - 300) + Math.abs(j - 400)).toBeLessThanOrEqual(2);
    const readout = await page.getByTestId('readout').innerText();
    const api = (await (await fetch(`${running.apiUrl}/publications/${UKV_NAME}/cubes/0/data?sel=0,0,${j},${i}&format=json`)).json()) as { values: number[] };
    const expected = Number(api.values[0].toPrecision(6));
    expect(readout).toContain(`grid_latitude ${Number((-4.5 + j * 0.0135).toPrecision(6))}, grid_longitude ${Number((353 + i * 0.0135).toPrecision(6))}`);
    expect(readout).toMatch(new RegExp(`: ${String(expected).replace('.', '\\.')} K$`));
    expect(expected).toBeCloseTo(airTemperature(0, 0, j, i), 3);
    // A masked cell (the corner below the diagonal) reads as missing and is drawn transparent: the page shows through.
    const masked = await cellPosition(5, 5);
    await pointAt(masked);
    expect(await page.getByTestId('readout').innerText()).toMatch(/: missing$/);
    const rgba = await page.evaluate<number[]>(
      `(() => { const c = document.querySelector('canvas.map'); const r = c.width / c.getBoundingClientRect().width; return [...c.getContext('2d').getImageData(Math.round(${masked.x} * r), Math.round(${masked.y} * r), 1, 1).data]; })()`,
    );
    expect(rgba).toEqual([255, 255, 255, 255]);
    expect(MASKED_DIAGONAL).toBeGreaterThan(10);
  });

  it('plots the time series of a clicked cell', async () => {
    await pointAt(await cellPosition(300, 400), true);
    const { i, j } = await cursorCell();
    const series = page.locator(`section.series canvas[data-sel=":,0,${j},${i}"]`);
    await series.waitFor();
    await expect.poll(() => page.locator('#series-desc').innerText()).toMatch(/^4 values; minimum 2\d\d\.\d+, maximum 2\d\d\.\d+ K\.$/);
    await page.locator('section.series').scrollIntoViewIfNeeded();
    await shot('05-series');
  });

  it('is keyboard operable: arrow keys move a cursor over the map, Enter picks a cell', async () => {
    await page.mouse.move(0, 0); // the pointer leaves the map: the keyboard cursor starts at its centre
    await page.locator('canvas.map').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowUp');
    expect(await page.getByTestId('readout').innerText()).toMatch(/^Under the cursor: grid_latitude .*, grid_longitude .*: \d+(\.\d+)? K$/);
    // North is up (latitudes increase with the row index), so ArrowUp moves to a larger j.
    expect(await cursorCell()).toEqual({ i: Math.floor(UKV.nx / 2) + 1, j: Math.floor(UKV.ny / 2) + 10 });
    await page.keyboard.press('Enter');
    await page.locator(`section.series canvas[data-sel=":,0,${Math.floor(UKV.ny / 2) + 10},${Math.floor(UKV.nx / 2) + 1}"]`).waitFor();
  });

  it('downloads the map as PNG, and links the same plot from the API', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.map-toolbar').getByRole('button', { name: 'Download PNG' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^ukv-20170515T03Z-air_temperature-0_0.*\.png$/);
    await download.saveAs(`${SHOTS}06-download-map.png`);
    const link = await page.getByRole('link', { name: 'PNG from the API' }).getAttribute('href');
    expect(link).toBe(`publications/${UKV_NAME}/cubes/0/plot.png?sel=0%2C0%2C%3A%2C%3A`);
    const answer = await fetch(new URL(link!, running.pageUrl));
    if (running.servedByScheduler) {
      // A scheduler with the integration has the route: the PNG is rendered server-side by @cubemark/plot.
      expect(answer.headers.get('content-type')).toBe('image/png');
      const png = new Uint8Array(await answer.arrayBuffer());
      expect([...png.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      await writeFile(`${SHOTS}06-api-plot.png`, png);
    } else {
      expect(answer.status).toBe(404);
    }
  });

  it('changes colour map, and keeps a colour range across time steps when asked', async () => {
    const scale = async () => JSON.parse((await page.locator('canvas.map').getAttribute('data-scale')) ?? 'null') as { colormap: string; min: number; max: number };
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}/c/0?time=0&model_level_number=0`);
    await waitForSel('0,0,:,:');
    expect((await scale()).colormap).toBe('viridis');
    await page.getByLabel('Colour map').selectOption('cividis');
    await expect.poll(async () => (await scale()).colormap).toBe('cividis');
    expect(page.url()).toContain('colormap=cividis');
    await page.getByLabel('Keep this colour range while moving the widgets').check();
    const kept = await scale();
    await page.getByRole('button', { name: 'next time' }).click();
    await waitForSel('1,0,:,:');
    expect(await scale()).toEqual(kept);
    await page.getByLabel('Keep this colour range while moving the widgets').uncheck();
    await page.getByRole('button', { name: 'next time' }).click();
    await waitForSel('2,0,:,:');
    expect(await scale()).not.toEqual(kept);
  });

  it('uses diverging colours for a field that spans 0 (x_wind)', async () => {
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}/c/1`);
    await waitForSel('0,:,:');
    expect(await page.locator('#colormap').inputValue()).toBe('auto');
    expect(JSON.parse((await page.locator('canvas.map').getAttribute('data-scale'))!)).toMatchObject({ kind: 'diverging', colormap: 'RdBu_r' });
    await shot('07-x-wind-diverging');
  });

  it('shows 360_day calendar dates as the calendar has them (30 February)', async () => {
    await page.goto(`${running.pageUrl}#/p/climate-360day/c/0`);
    await waitForSel('0,:,:');
    expect(await page.getByTestId('value-time').innerText()).toContain('2000-01-30');
    expect(await page.locator('label[for="w-time"]').innerText()).toContain('360_day calendar');
    await page.getByLabel(/^time/).focus();
    await page.keyboard.press('ArrowRight');
    await waitForSel('1,:,:');
    expect(await page.getByTestId('value-time').innerText()).toContain('2000-02-30');
    await shot('08-climate-360day');
  });

  it('opens the unified view of a parameter split over two files', async () => {
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}`);
    await page.locator('table.cubes').getByRole('link', { name: /^(unified view|side by side)$/ }).first().click();
    await page.locator('#unified-heading').waitFor();
    const merged = page.locator('.notice.ok');
    const unavailable = page.getByTestId('unified-unavailable');
    await expect.poll(async () => (await merged.count()) + (await unavailable.count())).toBe(1);
    if (await merged.count()) {
      expect(await merged.innerText()).toContain('Concatenated into one cube of shape 6 × 2 × 810 × 621');
      await waitForSel('0,0,:,:');
      // The six hours of both files in one widget: the last is from the second file.
      await moveTime(['End'], '5,0,:,:', '2017-05-15 08:00 (6 of 6)');
    } else {
      expect(await unavailable.innerText()).toContain('needs the scheduler');
      expect(await page.locator('table.cubes tbody tr').count()).toBe(2);
    }
    await shot('09-unified');
  });

  it('says why a parameter does not unify (two cubes with different units)', async () => {
    // climate-360day holds air_temperature twice, in K and in degC (fixtures/data.ts): they cannot merge.
    await page.goto(`${running.pageUrl}#/p/climate-360day/u/air_temperature`);
    await page.locator('#unified-heading').waitFor();
    const failed = page.locator('.notice.warn');
    await failed.waitFor();
    expect(await failed.innerText()).toMatch(/do not merge into one[\s\S]*units/i);
    expect(await page.getByTestId('unified-unavailable').count()).toBe(0);
    expect(await page.locator('table.cubes tbody tr').count()).toBe(2);
    await shot('10-unified-failed');
  });

  it('explains errors: an unknown publication', async () => {
    await page.goto(`${running.pageUrl}#/p/no-such-publication`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Could not load publication no-such-publication[\s\S]*PUBLICATION_NOT_FOUND[\s\S]*unpublished/);
    await shot('11-error');
  });

  it('fits a narrow window (phone width): no sideways scrolling of the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}/c/0?time=2&model_level_number=1`);
    await waitForSel('2,1,:,:');
    expect(await page.getByTestId('value-time').innerText()).toContain('2017-05-15 05:00');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('12-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('opens every cube of the demo publications: a map (or why not), never an error', async () => {
    expect(running.demos.length).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1100, height: 800 });
    const outcomes: string[] = [];
    for (const name of running.demos) {
      const pub = (await (await fetch(`${running.apiUrl}/publications/${name}`)).json()) as { cubes: { name: string }[] };
      for (let i = 0; i < pub.cubes.length; i++) {
        await page.goto(`${running.pageUrl}#/p/${name}/c/${i}`);
        const outcome = await Promise.race([
          page.locator('canvas.map[data-sel]').waitFor().then(() => 'map'),
          page.locator('.notice').waitFor().then(() => 'notice'),
          page.getByRole('alert').waitFor().then(async () => `error: ${await page.getByRole('alert').first().innerText()}`),
        ]);
        // Every map of the demo shows coastlines.
        const coast = outcome === 'map' ? await page.locator('canvas.map[data-coastlines]:not([data-coastlines="0"])').waitFor({ timeout: 10_000 }).then(() => '', () => ' without coastlines') : '';
        outcomes.push(`${name}/${i} ${pub.cubes[i].name}: ${outcome}${coast}`);
      }
    }
    expect(outcomes.filter((o) => o.includes(': error'))).toEqual([]);
    expect(outcomes.filter((o) => o.endsWith('without coastlines'))).toEqual([]);
    expect(outcomes.filter((o) => o.endsWith(': map')).length).toBeGreaterThan(outcomes.length / 2);
    await page.goto(`${running.pageUrl}#/p/${running.demos.find((d) => d.includes('ukv')) ?? running.demos[0]}/c/0`);
    await page.locator('canvas.map[data-sel]').waitFor();
    await shot('13-demo-ukv');
  }, 120_000);

  /** Canvas pixels (RGBA) in a square of CSS pixels around a point, with the CSS offset of each. */
  async function pixelsAround(at: { x: number; y: number }, radius: number): Promise<{ dx: number; dy: number; rgba: number[] }[]> {
    return page.evaluate<{ dx: number; dy: number; rgba: number[] }[]>(`(() => {
      const c = document.querySelector('canvas.map');
      const r = c.width / c.getBoundingClientRect().width;
      const out = [];
      const ctx = c.getContext('2d');
      for (let dy = -${radius}; dy <= ${radius}; dy += 0.5) for (let dx = -${radius}; dx <= ${radius}; dx += 0.5) {
        const d = ctx.getImageData(Math.round((${at.x} + dx) * r), Math.round((${at.y} + dy) * r), 1, 1).data;
        out.push({ dx, dy, rgba: [...d] });
      }
      return out;
    })()`);
  }

  /** Where proj4 puts a lon/lat on the drawn rotated-pole map (CSS pixels relative to the canvas). */
  async function expectedOnCoastMap(lon: number, lat: number): Promise<{ x: number; y: number }> {
    const rotated = proj4('+proj=longlat +a=6371229 +b=6371229 +no_defs', '+proj=ob_tran +o_proj=longlat +o_lon_p=0 +o_lat_p=37.5 +lon_0=357.5 +a=6371229 +b=6371229 +no_defs');
    const [rlon, rlat] = rotated.forward([lon, lat]);
    const i = (rlon + 360 - COAST.lon0) / COAST.dlon;
    const j = (rlat - COAST.lat0) / COAST.dlat;
    const info = await plotInfo();
    const row = info.flipY ? info.ny - 1 - j : j;
    return { x: info.x + ((i + 0.5) / info.nx) * info.width, y: info.y + ((row + 0.5) / info.ny) * info.height };
  }

  const isCoastline = (rgba: number[]) => rgba[0] < 60 && rgba[1] < 60 && rgba[2] < 60;

  it('draws coastlines where proj4 puts the tips of Cornwall and Shetland (rotated pole), and reads lat/lon under the cursor', async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`${running.pageUrl}#/p/maps/c/0?grat=0`);
    await page.locator('canvas.map[data-coastlines]:not([data-coastlines="0"])').waitFor({ timeout: 20_000 });
    expect(JSON.parse((await page.locator('canvas.map').getAttribute('data-geo'))!)).toMatchObject({ resolution: '50m' });
    const tips = { cornwall: [-5.7147, 50.0657], shetland: [-0.8595, 60.8445] } as const;
    const nearest: Record<string, number> = {};
    for (const [name, [lon, lat]] of Object.entries(tips)) {
      const at = await expectedOnCoastMap(lon, lat);
      const dark = (await pixelsAround(at, 3)).filter((p) => isCoastline(p.rgba)).map((p) => Math.hypot(p.dx, p.dy));
      nearest[name] = Math.min(Infinity, ...dark);
    }
    // The drawn coastline passes within a pixel or two of where proj4 puts each tip: 2.5 px, as the 1:50m outline
    // itself passes 4.5 km from Land's End and 2.4 km from Herma Ness (~1.9 km a pixel here), anti-aliased.
    console.log(`coastline to the tips (CSS px): Cornwall ${nearest.cornwall.toFixed(2)}, Shetland ${nearest.shetland.toFixed(2)}`);
    expect(nearest.cornwall).toBeLessThanOrEqual(2.5);
    expect(nearest.shetland).toBeLessThanOrEqual(2.5);
    await shot('14-coastlines-rotated-pole');
    const description = await page.locator('figcaption .description').innerText();
    expect(description).toMatch(/The map shows 4\d\.\d°N to 6\d\.\d°N, 1\d\.\d°W to \d\.\d°E, with coastlines\.$/);
    // Lat/lon beside the grid coordinates under the cursor.
    await pointAt(await expectedOnCoastMap(-3.2, 55.95));
    expect(await page.getByTestId('readout').innerText()).toMatch(/grid_latitude [\d.-]+, grid_longitude [\d.]+ \(55\.9\d\d°N 3\.[12]\d\d°W\): 2\d\d(\.\d+)? K$/);
    // Toggled off: no coastline pixels there any more.
    await page.getByLabel('Coastlines').uncheck();
    await expect.poll(() => page.locator('canvas.map').getAttribute('data-coastlines')).toBe('0');
    const cornwall = await expectedOnCoastMap(...tips.cornwall);
    expect((await pixelsAround(cornwall, 3)).filter((p) => isCoastline(p.rgba))).toEqual([]);
    expect(page.url()).toContain('coast=0');
    await page.getByLabel('Coastlines').check();
    await page.getByLabel('Latitude/longitude lines').check();
    await expect.poll(async () => Number(await page.locator('canvas.map').getAttribute('data-graticule'))).toBeGreaterThan(0);
  });

  it('draws every supported coordinate system with coastlines and no error', async () => {
    const pub = (await (await fetch(`${running.apiUrl}/publications/maps`)).json()) as { cubes: { name: string; long_name?: string }[] };
    expect(pub.cubes.length).toBe(PROJECTED.length + 3);
    for (let i = 1; i < pub.cubes.length; i++) {
      await page.goto(`${running.pageUrl}#/p/maps/c/${i}`);
      const map = page.locator('canvas.map[data-coastlines]:not([data-coastlines="0"])');
      await map.waitFor({ timeout: 20_000 });
      expect(Number(await map.getAttribute('data-graticule'))).toBeGreaterThan(0);
      // North up everywhere, a curvilinear grid (no 1-D y coordinate) included: its latitudes grow with the row.
      if (pub.cubes[i].long_name?.includes('curvilinear')) expect((await plotInfo()).flipY).toBe(true);
      await shot(`15-projection-${i}-${(pub.cubes[i].long_name ?? pub.cubes[i].name).replace(/[^a-z0-9]+/gi, '-')}`);
    }
  }, 120_000);

  it('the PNG route draws coastlines and a graticule unless told coastlines=0 and graticule=0', async () => {
    const png = async (q: string) => {
      const answer = await fetch(`${running.apiUrl}/publications/maps/cubes/0/plot.png?sel=:,:${q}`);
      return { status: answer.status, type: answer.headers.get('content-type'), bytes: new Uint8Array(await answer.arrayBuffer()) };
    };
    const on = await png('');
    const off = await png('&coastlines=0&graticule=0');
    expect(on.type).toBe('image/png');
    expect(off.type).toBe('image/png');
    expect(Buffer.from(on.bytes).equals(Buffer.from(off.bytes))).toBe(false);
    await writeFile(`${SHOTS}16-api-plot-coastlines.png`, on.bytes);
    expect((await png('&coastlines=2')).status).toBe(400);
  });

  it('measures drawing a 1,000 × 1,000 field after its bytes arrive (printed, not asserted)', async () => {
    const first: number[] = [];
    const finished: number[] = [];
    const draws: number[] = [];
    for (let k = 0; k < 3; k++) {
      // A fresh page each time: nothing cached, the coastlines loaded and projected anew.
      await page.goto('about:blank');
      await page.goto(`${running.pageUrl}#/p/maps/c/${PROJECTED.length + 2}`);
      const map = page.locator('canvas.map[data-sel=":,:"][data-coastlines]:not([data-coastlines="0"])');
      await map.waitFor({ timeout: 30_000 });
      first.push(Number(await map.getAttribute('data-first-after-bytes-ms')));
      finished.push(Number(await map.getAttribute('data-after-bytes-ms')));
      draws.push(Number(await map.getAttribute('data-draw-ms')));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const result = { field: '1000 × 1000 float32', firstPixelsAfterBytesMs: first, withCoastlinesAfterBytesMs: finished, drawMs: draws, median: { first: median(first), withCoastlines: median(finished), draw: median(draws) } };
    console.log(
      `1000 × 1000 map after its bytes arrived (median of 3): field drawn in ${median(first).toFixed(0)} ms, with coastlines (first map of the page) ${median(finished).toFixed(0)} ms; one draw ${median(draws).toFixed(0)} ms`,
    );
    await writeFile(`${SHOTS}timings-1000x1000.json`, JSON.stringify(result, null, 2));
    await shot('17-1000x1000');
    expect(first.every((v) => v > 0)).toBe(true);
  }, 120_000);

  it('animates over time: plays, reads frames ahead, and cancels them when the user moves', async () => {
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}/c/0?time=0&model_level_number=0`);
    await waitForSel('0,0,:,:');
    const requested: string[] = [];
    const failed: string[] = [];
    const onRequest = (r: { url(): string }) => r.url().includes('/data?sel=') && requested.push(decodeURIComponent(r.url().split('sel=')[1]));
    const onFailed = (r: { url(): string }) => r.url().includes('/data?sel=') && failed.push(decodeURIComponent(r.url().split('sel=')[1]));
    page.on('request', onRequest);
    page.on('requestfailed', onFailed);
    await page.getByLabel('Speed').selectOption('4');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.getByTestId('value-time').innerText(), { timeout: 15_000 }).toContain('2017-05-15 05:00');
    // Frames were asked for before they were shown: the read-ahead.
    expect(requested).toEqual(expect.arrayContaining(['1,0,:,:', '2,0,:,:', '3,0,:,:']));
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('animation-status').innerText()).toMatch(/^Paused at time \d of 4$/);
    await shot('18-animation');
    // A short video of the four hours.
    const [video] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByRole('button', { name: 'Download WebM' }).click()]);
    expect(video.suggestedFilename()).toMatch(/^ukv-20170515T03Z-air_temperature-time-animation\.webm$/);
    await video.saveAs(`${SHOTS}18-animation.webm`);
    const webm = await readFile(`${SHOTS}18-animation.webm`);
    expect([...webm.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML: a WebM file

    // Frames ahead that the server is slow to send are cancelled when the user moves a widget.
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}/c/0?time=0&model_level_number=1`);
    await waitForSel('0,1,:,:');
    await page.route('**/data?sel=3%2C1%2C*', async (route) => {
      await new Promise((r) => setTimeout(r, 4000));
      await route.continue().catch(() => {});
    });
    requested.length = 0;
    failed.length = 0;
    await page.getByLabel('Speed').selectOption('0.5');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => requested).toContain('3,1,:,:');
    await page.getByRole('button', { name: 'previous model_level_number' }).click();
    await waitForSel('0,0,:,:');
    await expect.poll(() => failed, { timeout: 10_000 }).toContain('3,1,:,:');
    expect(await page.getByRole('button', { name: 'Play' }).count()).toBe(1); // the move stopped the animation
    await page.unroute('**/data?sel=3%2C1%2C*');
    page.off('request', onRequest);
    page.off('requestfailed', onFailed);
  }, 60_000);

  it('draws a vertical section along a row and along a line, levels as heights in metres', async () => {
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}/c/0?time=1&model_level_number=0`);
    await waitForSel('1,0,:,:');
    await page.getByLabel(/^Along the grid_longitude row/).check();
    const unnamed = await page.evaluate<string[]>(`[...document.querySelectorAll('main input, main select, main button, main canvas')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
      .map((el) => el.outerHTML.slice(0, 80))`);
    expect(unnamed).toEqual([]);
    await pointAt(await cellPosition(300, 400), true);
    const { j } = await cursorCell();
    const section = page.locator('canvas.section-canvas[data-shape]');
    await section.waitFor();
    expect(await section.getAttribute('data-shape')).toBe(`2,${UKV.nx}`);
    expect(await section.getAttribute('data-sel')).toBe(`1,:,${j},:`);
    expect(await page.locator('#section-heading').innerText()).toMatch(/^Vertical section along grid_latitude [\d.-]+$/);
    expect(await page.locator('#section-desc').innerText()).toMatch(/on 2 levels × 621 places: minimum 2\d\d.*Levels: level_height \/ m \(hybrid height\), the height of each level where the ground is at sea level\.$/);
    expect(page.url()).toContain(`section=row%3A${j}`);
    await page.locator('section.section').scrollIntoViewIfNeeded();
    await shot('19-section-row');

    await page.getByLabel(/^Along a line/).check();
    await pointAt(await cellPosition(100, 100), true);
    await pointAt(await cellPosition(160, 140), true);
    // One column of levels per cell on the line (cells are under a pixel here, so the clicked ends are approximate).
    const line = page.locator('canvas.section-canvas[data-sel*="→"]');
    await line.waitFor({ timeout: 20_000 });
    const [from, to] = (await line.getAttribute('data-sel'))!.split(' → ').map((sel) => sel.split(',').slice(2).map(Number));
    const cells = Math.max(Math.abs(to[0] - from[0]), Math.abs(to[1] - from[1])) + 1;
    expect(Math.abs(to[1] - from[1] - 60)).toBeLessThanOrEqual(2);
    expect(await line.getAttribute('data-requests')).toBe(String(cells));
    expect(await line.getAttribute('data-shape')).toBe(`2,${cells}`);
    expect(await page.locator('#section-heading').innerText()).toMatch(/^Vertical section from \(grid_latitude .*\) to \(grid_latitude .*\)$/);
    await page.locator('section.section').scrollIntoViewIfNeeded();
    await shot('20-section-line');
  }, 60_000);

  it('compares two cubes side by side on one colour range, then as a difference; the link restores the view', async () => {
    await page.goto(`${running.pageUrl}#/p/${UKV_NAME}/c/0?time=1&model_level_number=0`);
    await waitForSel('1,0,:,:');
    await page.getByLabel('Compare with').selectOption({ label: 'cube 2: air_temperature (2 × 2 × 810 × 621)' });
    await page.locator('#compare-heading').waitFor();
    expect(decodeURIComponent(page.url())).toContain(`compare?a=${UKV_NAME}/c/0&b=${UKV_NAME}/c/2`);
    const maps = page.locator('canvas.map[data-sel]');
    await expect.poll(() => maps.count()).toBe(2);
    await expect.poll(() => drawnOnOneScale(maps)).toBe(true);
    expect(await maps.nth(0).getAttribute('data-sel')).toBe('1,0,:,:');
    expect(await maps.nth(1).getAttribute('data-sel')).toBe('1,0,:,:');
    await shot('21-compare-side-by-side');
    // Every control has a name a screen reader can say (labels, aria-labels or text).
    const unnamed = await page.evaluate<string[]>(`[...document.querySelectorAll('main input, main select, main button, main canvas')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
      .map((el) => el.outerHTML.slice(0, 80))`);
    expect(unnamed).toEqual([]);
    await page.getByLabel(/^Difference/).check();
    const diff = page.locator('canvas.map[data-sel="1,0,:,: − 1,0,:,:"]');
    await diff.waitFor();
    expect(JSON.parse((await diff.getAttribute('data-scale'))!)).toMatchObject({ kind: 'diverging' });
    expect(await page.locator('figcaption .description').innerText()).toMatch(/^air_temperature difference in K on a 810 × 621 grid: minimum -?\d/);
    await shot('22-compare-difference');
    // A colleague opening the link sees the same thing.
    const link = page.url();
    expect(link).toContain('mode=diff');
    await page.goto('about:blank');
    await page.goto(link);
    await page.locator('canvas.map[data-sel="1,0,:,: − 1,0,:,:"]').waitFor();
  }, 60_000);

  it('folds identical cubes into one row with a count, filters 600 cubes, and shows only the rows in view', async () => {
    await page.goto(`${running.pageUrl}#/p/many-cubes`);
    const table = page.locator('table.cubes');
    await table.waitFor();
    const distinct = MANY.distinct + 1;
    expect(await page.locator('#param-count').innerText()).toBe(`${distinct} of ${distinct} shown (600 cubes; 5 repeats of identical cubes folded into their first)`);
    // Virtualised: far fewer rows in the page than in the table.
    expect(await table.getAttribute('aria-rowcount')).toBe(String(distinct + 1));
    expect(await page.locator('tr.cube-row').count()).toBeLessThan(100);
    const orography = page.locator('tr.cube-row', { hasText: 'surface_altitude' });
    expect(await orography.count()).toBe(1);
    expect(await orography.getAttribute('data-count')).toBe('6');
    expect(await orography.innerText()).toContain('× 6');
    await shot('23-many-cubes');
    const filter = page.getByLabel('Filter parameters');
    await filter.fill('parameter 59');
    await expect.poll(() => page.locator('tr.cube-row').count()).toBe(10); // 059, 159, …, 559 and 590–593
    expect(await page.locator('#param-count').innerText()).toMatch(/^10 of 595 shown/);
    await filter.fill('');
    // Scrolled to the end, the last rows are in the page.
    await page.locator('.table-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(() => page.locator('tr.cube-row', { hasText: 'parameter 593' }).count()).toBe(1);
  });

  it('shows the demo UKV run with coastlines', async () => {
    const ukv = running.demos.find((d) => d.includes('ukv'));
    expect(ukv).toBeDefined();
    await page.goto(`${running.pageUrl}#/p/${ukv}/c/0?section=row:40`);
    await page.locator('canvas.map[data-coastlines]:not([data-coastlines="0"])').waitFor({ timeout: 20_000 });
    await shot('24-demo-ukv-coastlines');
    // Hybrid height with the run's orography: the section is drawn against altitude, following the terrain.
    await page.getByLabel(/^Along the grid_longitude row/).check();
    await page.locator('canvas.section-canvas[data-shape]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('#section-desc').innerText()).toMatch(/Levels: altitude \/ m, hybrid height with the orography: each level follows the ground\.$/);
    await page.locator('section.section').scrollIntoViewIfNeeded();
    await shot('25-demo-ukv-section-terrain');
    await page.goto(`${running.pageUrl}#/p/${ukv}`);
    const orography = page.locator('table.cubes tr', { hasText: 'surface_altitude' });
    await expect.poll(() => orography.count()).toBe(1);
    expect(Number(await orography.getAttribute('data-count'))).toBeGreaterThan(1);
  });

  it('draws a cube on a mesh as its faces, with coastlines, and reads the face under the pointer', async () => {
    const pub = (await (await fetch(`${running.apiUrl}/publications/lfric`)).json()) as { cubes: { index: number; var_name?: string }[] };
    const rain = pub.cubes.find((c) => c.var_name === 'conv_rain')!.index;
    await page.goto(`${running.pageUrl}#/p/lfric/c/${rain}`);
    const map = page.locator('canvas.mesh-map[data-sel="0,:"][data-coastlines]:not([data-coastlines="0"])');
    await map.waitFor({ timeout: 20_000 });
    expect(await map.getAttribute('data-faces')).toBe('864');
    expect(Number(await map.getAttribute('data-graticule'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('figcaption .description').innerText()).toMatch(
      /^surface_convective_rainfall_rate in kg m-2 s-1 on the 864 faces of mesh Mesh2d_half_levels: minimum [\d.e-]+, maximum [\d.e-]+\. The map shows 90\.0°S to 90\.0°N, all longitudes, with coastlines and a graticule\.$/,
    );
    await shot('26-mesh-lfric');
    // The face under a point is the one whose node outline holds it, and its value is the data route's.
    const plot = JSON.parse((await map.getAttribute('data-plot'))!) as { x: number; y: number; width: number; height: number; bounds: { xmin: number; xmax: number; ymin: number; ymax: number } };
    const [lon, lat] = [10, 20];
    const { xmin, xmax, ymin, ymax } = plot.bounds;
    await map.hover({ position: { x: plot.x + ((lon - xmin) / (xmax - xmin)) * plot.width, y: plot.y + ((ymax - lat) / (ymax - ymin)) * plot.height } });
    const readout = await page.getByTestId('readout').innerText();
    const m = /face (\d+) \(([\d.]+)°N ([\d.]+)°E\): (\S+) kg m-2 s-1$/.exec(readout);
    expect(m, readout).not.toBeNull();
    // Where the pointer is, to the pixel (about 0.5° here).
    expect(Math.abs(Number(m![2]) - lat)).toBeLessThan(0.5);
    expect(Math.abs(Number(m![3]) - lon)).toBeLessThan(0.5);
    const face = Number(m![1]);
    const api = async (path: string) => ((await (await fetch(`${running.apiUrl}/publications/lfric/cubes/${rain}/${path}`)).json()) as { values: number[] }).values;
    const [value] = await api(`data?sel=0,${face}&format=json`);
    expect(Number(m![4])).toBeCloseTo(value, 9);
    const xs = await api(`coords/mesh:x/bounds?sel=${face}&format=json`);
    const ys = await api(`coords/mesh:y/bounds?sel=${face}&format=json`);
    expect(Math.min(...xs)).toBeLessThanOrEqual(lon);
    expect(Math.max(...xs)).toBeGreaterThanOrEqual(lon);
    expect(Math.min(...ys)).toBeLessThanOrEqual(lat);
    expect(Math.max(...ys)).toBeGreaterThanOrEqual(lat);
    // From the keyboard: arrow keys move a cursor from the middle, a fortieth of the map a step.
    await page.mouse.move(0, 0);
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('readout').innerText()).toMatch(/^Under the cursor: face \d+ \(0\.000°N 9\.000°E\): \S+ kg m-2 s-1$/);
    // Toggles and the API's PNG, as for gridded maps.
    await page.getByLabel('Coastlines').uncheck();
    await expect.poll(() => page.locator('canvas.mesh-map').getAttribute('data-coastlines')).toBe('0');
    await page.getByLabel('Coastlines').check();
    const png = await fetch(new URL((await page.getByRole('link', { name: 'PNG from the API' }).getAttribute('href'))!, page.url()));
    expect(png.headers.get('content-type')).toBe('image/png');
    // Values on the nodes: a notice, no map.
    const nodes = pub.cubes.find((c) => c.var_name === 'node_field')!.index;
    await page.goto(`${running.pageUrl}#/p/lfric/c/${nodes}`);
    await expect.poll(() => page.locator('p.notice').first().innerText()).toContain("values sit on the nodes of the unstructured mesh Mesh2d_half_levels: maps draw values on a mesh's faces only");
    expect(await page.locator('canvas.map').count()).toBe(0);
  }, 60_000);

  it('compares two fields on the faces of one mesh side by side on one colour range, then as a difference', async () => {
    const pub = (await (await fetch(`${running.apiUrl}/publications/lfric`)).json()) as { cubes: { index: number; var_name?: string }[] };
    const rain = pub.cubes.find((c) => c.var_name === 'conv_rain')!.index;
    const ramp = pub.cubes.find((c) => c.var_name === 'rain_ramp')!.index;
    await page.goto(`${running.pageUrl}#/compare?a=lfric/c/${rain}&b=lfric/c/${ramp}`);
    await page.locator('#compare-heading').waitFor();
    expect(await page.locator('article .meta').innerText()).toContain('same mesh');
    const maps = page.locator('canvas.mesh-map[data-sel="0,:"]');
    await expect.poll(() => maps.count()).toBe(2);
    await expect.poll(() => drawnOnOneScale(maps)).toBe(true);
    // One range over both: it reaches the ramp's top (863e-7), beyond the rain's own maximum.
    expect(JSON.parse((await maps.nth(0).getAttribute('data-scale'))!).max).toBeGreaterThan(8e-5);
    expect(await maps.nth(0).getAttribute('data-faces')).toBe('864');
    await shot('29-compare-mesh-side-by-side');
    await page.getByLabel(/^Difference/).check();
    const diff = page.locator('canvas.mesh-map[data-sel="0,: − 0,:"]');
    await diff.waitFor({ timeout: 20_000 });
    expect(JSON.parse((await diff.getAttribute('data-scale'))!)).toMatchObject({ kind: 'diverging' });
    await expect.poll(() => page.locator('figcaption .description').first().innerText()).toMatch(/^surface_convective_rainfall_rate difference in kg m-2 s-1 on the 864 faces of mesh Mesh2d_half_levels: minimum -?[\d.e-]+, maximum -?[\d.e-]+\./);
    await shot('30-compare-mesh-difference');
  }, 60_000);

  it('places a curvilinear grid larger than the description lists, and takes its sections\' orography from the cube', async () => {
    const n = running.meshes.curvilinear.cubes[0].shape[2];
    const described = (await (await fetch(`${running.apiUrl}/publications/curvilinear-big/cubes/0`)).json()) as { coords: { key: string; points: { values?: unknown[] } }[] };
    // Not listed in the description: the page has to fetch them.
    expect(described.coords.find((c) => c.key === 'latitude')?.points.values).toBeUndefined();
    await page.goto(`${running.pageUrl}#/p/curvilinear-big/c/0?section=row:${n / 2}`);
    await page.locator('canvas.map[data-coastlines]:not([data-coastlines="0"])').waitFor({ timeout: 20_000 });
    expect((await plotInfo()).flipY).toBe(true);
    await expect.poll(() => page.locator('figcaption .description').innerText()).toMatch(/The map shows 4\d\.\d°N to 5\d\.\d°N, 1\d\.\d°W to \d\.\d°E, with coastlines and a graticule\.$/);
    await page.locator('canvas.section-canvas[data-shape]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('#section-desc').innerText()).toMatch(/Levels: altitude \/ m, hybrid height with the orography: each level follows the ground\.$/);
    await page.locator('section.section').scrollIntoViewIfNeeded();
    await shot('27-curvilinear-big-section-terrain');
  }, 60_000);

  it('asks for a token on a server whose reads need one, and sends it once given (never in the URL)', async () => {
    const { createScheduler, createServer } = await import('@cubemark/scheduler');
    const scheduler = createScheduler({ sourcePolicy: { roots: [join(tmpdir(), 'cubemark-explorer-e2e')] }, log: { info() {}, warn() {}, error() {} } });
    const server = await createServer(scheduler, { readToken: 'read-secret', explorerRoot: `${EXPLORER_ROOT}dist` } as Parameters<typeof createServer>[1]);
    const url = await server.listen({ port: 0 });
    const { publication, body } = running.fixtures.climate;
    await scheduler.publish(publication.name, { publication, body });
    // A tab of its own: the 401 and 403 answers it provokes are expected, not console errors of the main page.
    const tab = await browser.newPage();
    try {
      await tab.goto(`${url}/`);
      await tab.getByLabel('Access token').waitFor({ timeout: 15_000 });
      expect(await tab.locator('.error').innerText()).toContain('UNAUTHORIZED');
      await tab.getByLabel('Access token').fill('not-the-token');
      await tab.getByRole('button', { name: 'Use this token' }).click();
      await expect.poll(() => tab.locator('.error').innerText().catch(() => '')).toContain('FORBIDDEN');
      await tab.getByLabel('Access token').fill('read-secret');
      await tab.getByRole('button', { name: 'Use this token' }).click();
      await expect.poll(() => tab.locator('table.publications tbody tr').count()).toBe(1);
      await tab.getByRole('link', { name: publication.name }).click();
      await tab.locator('table.cubes tbody tr').first().waitFor();
      expect(tab.url()).not.toContain('read-secret');
      await shot('28-read-token', tab);
    } finally {
      await tab.close();
      await server.close();
    }
  }, 60_000);

  it('logged no errors in the browser console', () => {
    // Chromium logs every 4xx answer: the unknown publication (404), the unified route on a scheduler without it
    // (404), and the cubes that do not unify (409) are expected; nothing else is.
    expect(consoleErrors.filter((e) => !/status of (404|409)/.test(e))).toEqual([]);
  });
});

/**
 * The explorer in a real browser (Debian's chromium through playwright-core) against a real scheduler holding
 * real NetCDF files (see fixtures/). Screenshots go to artifacts/screenshots/ (gitignored).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExplorer, type Running } from './fixtures/server.js';
import { MASKED_DIAGONAL, UKV, airTemperature } from './fixtures/data.js';

const SHOTS = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UKV_NAME = 'ukv-20170515T03Z';

let running: Running;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
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
    await expect.poll(() => rows.count()).toBe(2 + running.demos.length);
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
    expect((await cubes.nth(0).innerText()).replace(/\s+/g, ' ')).toBe(
      '0 air_temperature K 4 × 2 × 810 × 621 time, model_level_number, grid_latitude, grid_longitude time: point',
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
    expect(description).toMatch(/^air_temperature in K on a 810 × 621 grid: minimum 2\d\d(\.\d+)?, maximum 2\d\d(\.\d+)?; 1830 cells missing\.$/);
    const before = await canvasPixels();
    await shot('03-cube-time-0');

    const slider = page.getByLabel('time', { exact: true });
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await waitForSel('1,0,:,:');
    expect(await page.getByTestId('value-time').innerText()).toContain('2017-05-15 04:00');
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
    const slider = page.getByLabel('time', { exact: true });
    await slider.focus();
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
    await waitForSel('0,0,:,:');
    expect(await page.getByTestId('value-time').innerText()).toContain('2017-05-15 03:00');
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
    await page.getByRole('link', { name: 'air_temperature' }).last().click();
    await page.locator('#unified-heading').waitFor();
    const merged = page.locator('.notice.ok');
    const unavailable = page.getByTestId('unified-unavailable');
    await expect.poll(async () => (await merged.count()) + (await unavailable.count())).toBe(1);
    if (await merged.count()) {
      expect(await merged.innerText()).toContain('Concatenated into one cube of shape 6 × 2 × 810 × 621');
      await waitForSel('0,0,:,:');
      // The six hours of both files in one widget: the last is from the second file.
      const slider = page.getByLabel('time', { exact: true });
      await slider.focus();
      await page.keyboard.press('End');
      await waitForSel('5,0,:,:');
      expect(await page.getByTestId('value-time').innerText()).toContain('2017-05-15 08:00 (6 of 6)');
    } else {
      expect(await unavailable.innerText()).toContain('needs the scheduler');
      expect(await page.locator('table.cubes tbody tr').count()).toBe(2);
    }
    await shot('09-unified');
  });

  it('says why a parameter does not unify (two cubes with different units)', async () => {
    await page.goto(`${running.pageUrl}#/p/climate-360day/u/air_temperature`);
    await page.locator('#unified-heading').waitFor();
    const failed = page.locator('.notice.warn');
    const unavailable = page.getByTestId('unified-unavailable');
    await expect.poll(async () => (await failed.count()) + (await unavailable.count())).toBe(1);
    if (await failed.count()) {
      expect(await failed.innerText()).toMatch(/do not merge into one[\s\S]*units/i);
      expect(await page.locator('table.cubes tbody tr').count()).toBe(2);
      await shot('10-unified-failed');
    }
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

  it('opens every cube of the demo publications: a map (or why not), never an error', async (ctx) => {
    if (running.demos.length === 0) ctx.skip(); // their data are generated by scripts/data/make-fixtures.ts (npm start)
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
        outcomes.push(`${name}/${i} ${pub.cubes[i].name}: ${outcome}`);
      }
    }
    expect(outcomes.filter((o) => o.includes(': error'))).toEqual([]);
    expect(outcomes.filter((o) => o.endsWith(': map')).length).toBeGreaterThan(outcomes.length / 2);
    await page.goto(`${running.pageUrl}#/p/${running.demos.find((d) => d.includes('ukv')) ?? running.demos[0]}/c/0`);
    await page.locator('canvas.map[data-sel]').waitFor();
    await shot('13-demo-ukv');
  }, 120_000);

  it('logged no errors in the browser console', () => {
    // Chromium logs every 4xx answer: the unknown publication (404), the unified route on a scheduler without it
    // (404), and the cubes that do not unify (409) are expected; nothing else is.
    expect(consoleErrors.filter((e) => !/status of (404|409)/.test(e))).toEqual([]);
  });
});

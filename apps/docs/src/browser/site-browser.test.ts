import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium, serveDirectory, type StaticServer } from '@rheo/pack-smoke/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoState } from '../demo/page-state.js';
import { appRoot, sitePages } from '../site-pages.js';
import { builtSite, htmlPath, siteFile } from './built-site.js';

// Debian's Chromium, WebGPU on SwiftShader. Without one these tests skip, saying so; under CI=true they fail.
const CHROMIUM = findChromium('docs browser tests');
const SCREENSHOTS = join(appRoot, 'out', 'screenshots');

describe.skipIf(CHROMIUM === undefined)('the built site in headless Chromium', () => {
  let root = '';
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    root = builtSite();
    server = await serveDirectory(root);
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: [...CHROMIUM_ARGS] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh page that records console errors and uncaught exceptions. */
  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`); });
    page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
    await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
    return { page, errors };
  }

  it('loads every page with no console error, and every internal link and anchor resolves', async () => {
    const pages = sitePages().map(htmlPath);
    expect(pages.length).toBeGreaterThanOrEqual(20);
    const broken: string[] = [];
    const failures: string[] = [];
    const idsOf = new Map<string, Set<string>>();
    const ids = (file: string) => {
      if (!idsOf.has(file)) idsOf.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)));
      return idsOf.get(file)!;
    };
    for (const path of pages) {
      const { page, errors } = await open(`/${path}`);
      // Let the client take over (hydration errors and lazily loaded chunks show up here).
      await page.waitForFunction(() => document.querySelector('.VPContent') !== null, null, { timeout: 20_000 });
      await page.waitForTimeout(300);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      await page.close();
      failures.push(...errors.map((e) => `/${path}: ${e}`));
      for (const href of new Set(hrefs)) {
        const url = new URL(href);
        if (url.origin !== server.url) continue;
        const file = siteFile(root, url.pathname);
        if (file === null) { broken.push(`/${path} → ${url.pathname}: no such page`); continue; }
        const anchor = decodeURIComponent(url.hash.slice(1));
        if (anchor !== '' && !ids(file).has(anchor)) broken.push(`/${path} → ${url.pathname}#${anchor}: no such anchor`);
      }
    }
    expect(failures).toEqual([]);
    expect(broken).toEqual([]);
  }, 240_000);

  /** The number of losses the demo has reported. */
  const stepsOf = (page: Page) => page.evaluate(() => (window as unknown as { __rheoTrainDemo: DemoState }).__rheoTrainDemo.losses.length);

  async function trainDemo(query: string, minSteps: number, shot: string, checkPause = false): Promise<DemoState> {
    const { page, errors } = await open(`/demos/train.html?autostart=1&${query}`);
    try {
      await page.waitForFunction((n) => {
        const d = (window as unknown as { __rheoTrainDemo?: DemoState }).__rheoTrainDemo;
        return d !== undefined && (d.error !== null || d.losses.length >= n);
      }, minSteps, { timeout: 150_000, polling: 500 });
      // The page stays responsive while the worker trains: animation frames keep coming.
      const worstFrameMs = await page.evaluate(() => new Promise<number>((resolve) => {
        const times: number[] = [];
        const tick = (t: number) => { times.push(t); if (times.length < 20) requestAnimationFrame(tick); else resolve(Math.max(...times.slice(1).map((v, i) => v - times[i]!))); };
        requestAnimationFrame(tick);
      }));
      if (checkPause) {
        // Pause stops the steps; Start goes on from where it stopped.
        await page.click('.train-demo button.pause');
        await page.waitForTimeout(1000);
        const paused = await stepsOf(page);
        await page.waitForTimeout(1000);
        expect(await stepsOf(page)).toBe(paused);
        await page.click('.train-demo button.start');
        await page.waitForFunction((n) => (window as unknown as { __rheoTrainDemo: DemoState }).__rheoTrainDemo.losses.length > n + 20, paused, { timeout: 30_000 });
      }
      // One more snapshot after the last step counted, so the plots show the trained model.
      const snapshots = await page.evaluate(() => (window as unknown as { __rheoTrainDemo: DemoState }).__rheoTrainDemo.snapshots);
      await page.waitForFunction((s) => (window as unknown as { __rheoTrainDemo: DemoState }).__rheoTrainDemo.snapshots > s, snapshots, { timeout: 60_000 });
      const state = await page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __rheoTrainDemo: DemoState }).__rheoTrainDemo)) as DemoState);
      await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: true });
      await page.locator('.train-demo .plots').screenshot({ path: join(SCREENSHOTS, `${shot}-plots.png`) });
      expect(errors).toEqual([]);
      expect(worstFrameMs).toBeLessThan(500);
      return state;
    } finally {
      await page.close();
    }
  }

  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

  it('trains RealNVP on WebGPU (SwiftShader) for 200 steps with a falling loss', async () => {
    const s = await trainDemo('toy=moons&model=realnvp', 200, 'train-webgpu');
    expect(s.error).toBeNull();
    expect(s.gpu).toBe(true);
    expect(s.backend).toMatch(/^WebGPU/);
    expect(s.losses.length).toBeGreaterThanOrEqual(200);
    expect(s.losses.every(Number.isFinite)).toBe(true);
    // The NLL of the two moons falls by well over the noise of a batch of 256 (about 0.1 nats).
    expect(mean(s.losses.slice(0, 20)) - mean(s.losses.slice(-20))).toBeGreaterThan(0.3);
  }, 240_000);

  it('trains RealNVP on the CPU for 400 steps with a falling loss, and pauses and resumes', async () => {
    const s = await trainDemo('toy=moons&model=realnvp&backend=cpu', 400, 'train-cpu', true);
    expect(s.error).toBeNull();
    expect(s.gpu).toBe(false);
    expect(s.backend).toMatch(/^CPU/);
    expect(mean(s.losses.slice(0, 20)) - mean(s.losses.slice(-20))).toBeGreaterThan(0.3);
  }, 240_000);

  it('times SAEF at every block size and MAF in the sampling-speed demo', async () => {
    const { page, errors } = await open('/demos/sampling-speed.html?autostart=1&backend=cpu&dim=8&batch=100');
    type Speed = { done: boolean; error: string | null; results: { label: string; passes: number; samplesPerSecond: number }[] };
    await page.waitForFunction(() => { const d = (window as unknown as { __rheoSpeedDemo?: Speed }).__rheoSpeedDemo; return d !== undefined && (d.done || d.error !== null); }, null, { timeout: 60_000 });
    const s = await page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __rheoSpeedDemo: Speed }).__rheoSpeedDemo)) as Speed);
    await page.screenshot({ path: join(SCREENSHOTS, 'sampling-speed.png'), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
    expect(s.error).toBeNull();
    expect(s.results.map((r) => [r.label, r.passes])).toEqual([['SAEF k = 1', 8], ['SAEF k = 2', 4], ['SAEF k = 4', 2], ['SAEF k = 8', 1], ['MAF', 8]]);
    expect(s.results.every((r) => r.samplesPerSecond > 0)).toBe(true);
  }, 120_000);

  it('shows a table for every suite of the committed results.json', async () => {
    const rows = JSON.parse(readFileSync(join(appRoot, 'data', 'bench-results.json'), 'utf8')) as { suite: string }[];
    const { page, errors } = await open('/demos/results.html');
    await page.waitForSelector('.bench-results table');
    const suites = await page.$$eval('.bench-results section', (ss) => ss.map((s) => [s.getAttribute('data-suite'), s.querySelectorAll('tbody tr').length, s.querySelectorAll('svg').length] as const));
    await page.screenshot({ path: join(SCREENSHOTS, 'results.png'), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
    expect(suites.map(([s]) => s)).toEqual([...new Set(rows.map((r) => r.suite))]);
    for (const [suite, lines, charts] of suites) {
      expect(lines, String(suite)).toBeGreaterThan(0);
      expect(charts, String(suite)).toBeGreaterThan(0);
    }
  }, 60_000);
});

import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, serveDirectory } from './chromium.js';
import { useConsumerProject } from './use-consumer-project.js';
import { publishablePackages } from './workspace-packages.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures');
// A Chromium to drive: RHEO_CHROMIUM, else the distribution's. Without one the browser run skips, saying so; under CI=true it fails.
const CHROMIUM = findChromium('browser bundle test');

// @rheo/train depends on @rheo/data (epochs over a Matrix or Dataset).
const NAMES = ['@rheo/tensor', '@rheo/nn', '@rheo/objectives', '@rheo/flows', '@rheo/data', '@rheo/train'];
const needed = publishablePackages().filter((p) => NAMES.includes(p.name));
const ready = needed.length === NAMES.length && needed.every((p) => p.built);

// A web app's entry: the engine with its WebGPU entry, flows, objectives and the training loop.
const ENTRY = `
import { key, normal, setBackend } from '@rheo/tensor';
import '@rheo/tensor/webgpu';
import { flow, logProb, maf, standardNormal } from '@rheo/flows';
import { nllLoss } from '@rheo/objectives';
import { fit } from '@rheo/train';
await setBackend('auto');
const f = flow(standardNormal(2), [maf(key(1), 2)]);
await fit({ params: f.params, loss: (p, x) => nllLoss(logProb(f, p, f.buffers, x)), batch: (_s, k) => normal(k, [64, 2]), steps: 5, key: key(0) });
`;

describe.skipIf(!ready)('browser bundle of the packed packages', () => {
  const project = useConsumerProject(needed);

  it('bundles for the browser with no Node built-in left to resolve', async () => {
    writeFileSync(join(project().dir, 'web-entry.mjs'), ENTRY);
    // platform 'browser' picks the "browser" export conditions and refuses node: built-ins it cannot resolve.
    const result = await build({
      entryPoints: ['web-entry.mjs'], absWorkingDir: project().dir, bundle: true, platform: 'browser', format: 'esm',
      target: 'es2022', write: false, splitting: true, outdir: 'out', logLevel: 'silent',
      // Node's optional `webgpu` package is only ever loaded by a computed import, which a bundler leaves alone.
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles.map((f) => f.text).join('\n');
    expect(code).not.toMatch(/from\s*["']node:|import\(\s*["']node:|require\(\s*["']node:fs/);
    // The checkpoint functions are the browser build's, which explain themselves.
    expect(code).toContain('checkpoint files need a file system');
  }, 60_000);

  it.skipIf(CHROMIUM === undefined)('runs in Chromium on navigator.gpu with the numbers of the CPU backend', async () => {
    const dir = project().dir;
    copyFileSync(join(fixtures, 'browser-check.mjs'), join(dir, 'browser-check.mjs'));
    await build({ entryPoints: ['browser-check.mjs'], absWorkingDir: dir, bundle: true, platform: 'browser', format: 'esm', target: 'es2022', outdir: 'web', splitting: true, logLevel: 'silent' });
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="browser-check.js"></script>');
    const server = await serveDirectory(join(dir, 'web'));
    // SwiftShader: Chromium's software Vulkan, so the page has a WebGPU adapter on a machine without a GPU.
    const browser = await chromium.launch({ executablePath: CHROMIUM!, args: [...CHROMIUM_ARGS] });
    type Side = { backend: string; product: number[]; grad: number[]; uniform: number[]; normal: number[]; nll: number; samples: number[] };
    let result: { cpu: Side; gpu: Side; error?: string };
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 120_000 });
      result = await page.evaluate(() => (window as unknown as { __result: never }).__result);
    } finally {
      await browser.close();
      await server.close();
    }
    expect(result.error).toBeUndefined();
    expect(result.gpu.backend).toMatch(/^WebGPU \(/);
    const worst = (x: number[], y: number[]) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
    // The same key gives the same bits; the rest agrees to float32 rounding.
    expect(result.gpu.uniform).toEqual(result.cpu.uniform);
    expect(worst(result.gpu.product, result.cpu.product)).toBeLessThan(1e-5);
    expect(worst(result.gpu.grad, result.cpu.grad)).toBeLessThan(1e-5);
    // Through log, sqrt and cos: WGSL's own log allows a few ulp, so tails differ by a few 1e-6.
    expect(worst(result.gpu.normal, result.cpu.normal)).toBeLessThan(1e-5);
    // 40 Adam steps of a MAF on either backend: the same fit.
    expect(Math.abs(result.gpu.nll - result.cpu.nll)).toBeLessThan(1e-4);
    expect(worst(result.gpu.samples, result.cpu.samples)).toBeLessThan(1e-4);
  }, 180_000);
});

import { mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { perturb } from '@rheo/flows/testing';
import { maf, residualFlow, type FlowModel } from '@rheo/models';
import { exportOnnx } from '@rheo/onnx';
import { key, normal, type TensorTree } from '@rheo/tensor';
import { CHROMIUM_ARGS, findChromium, serveDirectory, type StaticServer } from '@rheo/pack-smoke/chromium';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsf } from '@rheo/splines';

// Debian's Chromium, WebGPU on SwiftShader; without one this skips, saying so (under CI=true it fails).
const CHROMIUM = findChromium('onnxruntime-web browser test');
/** |onnxruntime-web − rheo CPU| ≤ TOL·(1 + |rheo CPU|). */
const TOL = 1e-5;
const ORT = join(realpathSync(resolve(import.meta.dirname, '..', '..', 'node_modules', 'onnxruntime-web')), 'dist');
// The WebGPU build and the WebAssembly modules it loads (which one depends on the provider and the browser's features).
const FILES = ['ort.webgpu.min.mjs', ...readdirSync(ORT).filter((f) => f.startsWith('ort-wasm-simd-threaded') && !f.endsWith('.map'))];

const PAGE = `<!doctype html><meta charset="utf-8"><title>rheo ONNX in onnxruntime-web</title>
<script type="module">
import * as ort from './ort.webgpu.min.mjs';
ort.env.wasm.numThreads = 1;
window.runOnnx = async (file, ep, feeds) => {
  const session = await ort.InferenceSession.create(file, { executionProviders: [ep] });
  const inputs = {};
  for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor('float32', Float32Array.from(v.data), v.shape);
  const out = await session.run(inputs);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data)]));
};
window.ready = true;
</script>`;

describe.skipIf(CHROMIUM === undefined)('exported files in onnxruntime-web, in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rheo-ort-web-'));
  let server: StaticServer;
  let browser: Browser;
  beforeAll(async () => {
    for (const f of FILES) symlinkSync(join(ORT, f), join(dir, f));
    writeFileSync(join(dir, 'index.html'), PAGE);
    server = await serveDirectory(dir);
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: [...CHROMIUM_ARGS] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // MAF (unrolled inverse), a spline flow (bin search by comparisons), a residual flow (exact log-det from
  // autodiff, fixed-point inverse): the three kinds of graph the exporter writes.
  const cases: Array<[string, () => FlowModel]> = [
    ['maf', () => maf(key(2), 3, { transforms: 2, hidden: [16] })],
    ['nsf', () => nsf(key(6), 3, { transforms: 2, hidden: [16] }) as FlowModel],
    ['residual-flow', () => residualFlow(key(3), 3, { blocks: 2, hidden: [16] })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: logProb and sample on the WebGPU and WebAssembly providers match rheo`, async () => {
      const m0 = make();
      const m = m0.initialize(normal(key(40), [64, 3]));
      const params = perturb(m.params, key(42), 0.1) as TensorTree;
      for (const graph of ['logProb', 'sample'] as const) writeFileSync(join(dir, `${name}-${graph}.onnx`), await exportOnnx(m, params, { graph }));
      const x = normal(key(50), [6, 3]);
      const want = {
        logProb: Array.from(m.logProb(x, { params }).dataSync()),
        sample: Array.from(m.flow.transform.inverse!(params as TensorTree[], m.buffers as never, x).dataSync()),
      };
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 30_000 });
      const feeds = { data: Array.from(x.dataSync()), shape: [6, 3] };
      for (const ep of ['webgpu', 'wasm']) {
        const lp = await page.evaluate(([f, e, v]) => (window as unknown as { runOnnx: (a: string, b: string, c: object) => Promise<Record<string, number[]>> }).runOnnx(f, e, { x: v }), [`${name}-logProb.onnx`, ep, feeds] as const);
        const sm = await page.evaluate(([f, e, v]) => (window as unknown as { runOnnx: (a: string, b: string, c: object) => Promise<Record<string, number[]>> }).runOnnx(f, e, { z: v }), [`${name}-sample.onnx`, ep, feeds] as const);
        const err = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!) / (1 + Math.abs(b[i]!))));
        const [e1, e2] = [err(lp['logProb']!, want.logProb), err(sm['x']!, want.sample)];
        console.log(`${name} on ${ep}: worst |ORT web − rheo| / (1 + |rheo|) ${e1.toExponential(2)} (logProb), ${e2.toExponential(2)} (sample)`);
        expect(e1, `${name} logProb on ${ep}`).toBeLessThanOrEqual(TOL);
        expect(e2, `${name} sample on ${ep}`).toBeLessThanOrEqual(TOL);
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  }
});

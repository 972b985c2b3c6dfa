import { key, normal } from '@rheo/tensor';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, type GraphKind } from './export-onnx.js';
import { PRESET_CASES, prepared, reference } from './test-support/preset-cases.js';
import { worstError } from './test-support/ort-run.js';

/** |onnxruntime-web − rheo CPU| ≤ TOL·(1 + |rheo CPU|). */
const TOL = 1e-5;

// onnxruntime-web's WebAssembly provider, the build browsers load, run here in Node on one thread.
ortWeb.env.wasm.numThreads = 1;
const worst: Record<string, number> = {};

describe.each(PRESET_CASES)('preset %s in onnxruntime-web (WebAssembly)', (name, make, c) => {
  const { m, params } = prepared(make, c);
  const kinds: GraphKind[] = m.kind === 'sampler' ? ['sample'] : ['logProb', 'sample'];
  it.each(kinds)('%s matches rheo on the CPU', async (graph) => {
    const bytes = await exportOnnx(m, params, { graph });
    const session = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const input = normal(key(80), [5, m.features]);
    const context = c > 0 ? normal(key(81), [5, c]) : undefined;
    const tensor = (t: typeof input) => new ortWeb.Tensor('float32', Float32Array.from(t.dataSync()), [...t.shape]);
    const feeds = { [graph === 'logProb' ? 'x' : 'z']: tensor(input), ...(context ? { context: tensor(context) } : {}) };
    const got = await session.run(feeds);
    await session.release();
    for (const [k, t] of Object.entries(reference(m, params, graph, input, context))) {
      const e = worstError(got[k]!.data as Float32Array, t.dataSync());
      worst[`${name} ${graph}`] = e;
      expect(e).toBeLessThanOrEqual(TOL);
    }
  });
});

afterAll(() => {
  console.log(`worst |onnxruntime-web − rheo| / (1 + |rheo|):\n${Object.entries(worst).map(([k, e]) => `${k.padEnd(48)} ${e.toExponential(2)}`).join('\n')}`);
});

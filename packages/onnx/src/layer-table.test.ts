import { layerInputs, TRANSFORM_CASES, transformerCases, type LayerCase } from '@rheo/flows/testing';
import { rationalQuadraticTransformer } from '@rheo/splines';
import { afterAll, describe, expect, it } from 'vitest';
import { exportTransformOnnx } from './export-transform.js';
import { nodeCount, runOnnx, worstError } from './test-support/ort-run.js';

/** |ORT − rheo CPU| ≤ TOL·(1 + |rheo CPU|), outputs and log-dets. */
const TOL = 1e-5;

// The layer property table of @rheo/flows, and the rational-quadratic spline through the same
// coupling, MAF and semi-autoregressive seam (bound 1: standard normal inputs reach both tails).
const CASES: readonly LayerCase[] = [
  ...TRANSFORM_CASES,
  ...transformerCases('rational-quadratic spline', () => rationalQuadraticTransformer({ bins: 5, bound: 1 }), { seed: 81 }),
];

const worst: Record<string, number> = {};
const sizes: Record<string, string> = {};

describe.each(CASES.map((c) => [c.name, c] as const))('layer %s exported to ONNX', (_name, c) => {
  it.each(['forward', 'inverse'] as const)('%s: onnxruntime-node matches rheo on the CPU', async (direction) => {
    const { t, params, x, context } = layerInputs(c);
    const o = context ? { context } : {};
    const input = direction === 'forward' ? x : t.forwardAndLogDet(params, t.buffers, x, o).out;
    const want = direction === 'forward' ? t.forwardAndLogDet(params, t.buffers, input, o) : t.inverseAndLogDet(params, t.buffers, input, o);
    const bytes = await exportTransformOnnx(c.make, params, { direction, features: c.d, contextFeatures: c.contextDim ?? 0, buffers: t.buffers });
    const feeds = { [direction === 'forward' ? 'x' : 'z']: input, ...(context ? { context } : {}) };
    const got = await runOnnx(bytes, feeds);
    const e = Math.max(worstError(got['out']!, want.out.dataSync()), worstError(got['logDet']!, want.logDet.dataSync()));
    worst[`${c.name} ${direction}`] = e;
    sizes[`${c.name} ${direction}`] = `${String(nodeCount(bytes)).padStart(5)} nodes ${(bytes.length / 1024).toFixed(1).padStart(6)} KiB`;
    expect(e).toBeLessThanOrEqual(TOL);
  });
});

afterAll(() => {
  const rows = Object.entries(worst).map(([k, e]) => `${k.padEnd(64)} ${e.toExponential(2)}  ${sizes[k]}`);
  console.log(`worst |ORT − rheo| / (1 + |rheo|) per layer (tolerance ${TOL}), nodes and file size:\n${rows.join('\n')}`);
});

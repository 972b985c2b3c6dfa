import { add, key, mul, sliceAxis, sum, tensor, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { affineCoupling } from '../affine-coupling.js';
import { affineTransformer } from '../affine-transformer.js';
import type { Transform } from '../transform.js';
import type { Transformer } from '../transformer.js';
import {
  PropertyCheckError, assertLayer, transformerLayer, checkBackendAgreement, checkLayer, describeLayerProperties, perturbed, type LayerCase, type TestRunner,
} from './index.js';

// The kit must fail broken layers: each case below breaks one property of a working affine coupling.
const good = () => affineCoupling(key(1), 4, { hidden: [8] });
type Coupling = ReturnType<typeof good>;
const broken = (change: (t: Coupling) => Partial<Coupling>): (() => Transform<Coupling['params'], null>) => () => {
  const t = good();
  return { ...t, ...change(t) };
};
const failedProperties = async (c: LayerCase) => (await checkLayer(c)).filter((r) => !r.ok).map((r) => r.property);

describe('@rheo/flows/testing finds broken layers', () => {
  it('passes the working layer', async () => {
    expect(await failedProperties({ name: 'good', make: good, d: 4, params: perturbed(2) })).toEqual([]);
  });

  it('a log-det off by 0.1', async () => {
    const make = broken((t) => ({ forwardAndLogDet: (p, b, x, o) => { const r = t.forwardAndLogDet(p, b, x, o); return { out: r.out, logDet: add(r.logDet, 0.1) }; } }));
    expect(await failedProperties({ name: 'log-det', make, d: 4, params: perturbed(2) })).toEqual(['forward log-det = brute-force Jacobian']);
  });

  it('an inverse that misses by 1e-2, and a plain forward that disagrees with the fused one', async () => {
    const make = broken((t) => ({
      inverseAndLogDet: (p, b, z, o) => { const r = t.inverseAndLogDet(p, b, z, o); return { out: add(r.out, 1e-2), logDet: r.logDet }; },
      forward: (p, b, x, o) => mul(t.forwardAndLogDet(p, b, x, o).out, 1.01),
    }));
    expect(await failedProperties({ name: 'inverse', make, d: 4, params: perturbed(2) })).toEqual(['round trip inverse(forward(x)) = x', 'forward = fused forward']);
  });

  it('a parameter that never reaches the output, named by its path', async () => {
    const dead: Transform<{ shift: Tensor; spare: Tensor }, null> = {
      kind: 'dead', params: { shift: tensor([0.5, 1]), spare: tensor([2]) }, buffers: null,
      forwardAndLogDet: (p, _b, x) => ({ out: add(x, p.shift), logDet: mul(sum(x, 1), 0) }),
      inverseAndLogDet: (p, _b, z) => ({ out: add(z, mul(p.shift, -1)), logDet: mul(sum(z, 1), 0) }),
    };
    const results = await checkLayer({ name: 'dead', make: () => dead, d: 2 });
    const g = results.find((r) => r.property === 'every parameter gets a gradient')!;
    expect(g.ok).toBe(false);
    expect(g.detail).toBe('zero gradient: spare');
  });

  it('a layer that ignores its context', async () => {
    const failed = await failedProperties({ name: 'no context', make: good, d: 4, params: perturbed(2), contextDim: 2 });
    expect(failed).toEqual([
      'a missing context is refused', 'a context of the wrong width is refused',
      'the forward output depends on the context', 'the inverse output depends on the context',
    ]);
  });

  it('assertLayer throws a PropertyCheckError that lists the failures', async () => {
    const make = broken((t) => ({ forwardAndLogDet: (p, b, x, o) => { const r = t.forwardAndLogDet(p, b, x, o); return { out: r.out, logDet: add(r.logDet, 1) }; } }));
    await expect(assertLayer({ name: 'off by one', make, d: 4 })).rejects.toThrow(PropertyCheckError);
    await expect(assertLayer({ name: 'off by one', make, d: 4 })).rejects.toThrow(/off by one: 2 of \d+ checks failed:\n- forward log-det/);
  });

  it('describeLayerProperties registers one test per case through the runner it is given', async () => {
    const names: string[] = [];
    const bodies: (() => Promise<void>)[] = [];
    const runner: TestRunner = { describe: (n, body) => { names.push(n); body(); }, it: (n, body) => { names.push(n); bodies.push(body); } };
    describeLayerProperties(runner, 'a fake runner', [{ name: 'good', make: good, d: 4, params: perturbed(2) }], { compareBackend: { name: 'cpu', available: true } });
    expect(names).toEqual([
      'layer properties on a fake runner (round trip, brute-force log-det, fused vs plain, gradients, context)', 'good',
      'layer outputs on cpu agree with the CPU', 'good',
    ]);
    for (const b of bodies) await b();
  });

  it('checkBackendAgreement compares the four outputs', async () => {
    const r = await checkBackendAgreement({ name: 'good', make: good, d: 4, params: perturbed(2) }, 'cpu');
    expect(r.map((v) => [v.property, v.ok, v.maxError])).toEqual([
      ['cpu vs CPU: forward output', true, 0], ['cpu vs CPU: forward log-det', true, 0],
      ['cpu vs CPU: inverse output', true, 0], ['cpu vs CPU: inverse log-det', true, 0],
    ]);
  });
});

describe('transformerLayer', () => {
  it('checks a transformer at chosen inputs, with a gradient for each of its P parameters', async () => {
    const theta = tensor([[[0.3, -0.5], [1, 2]], [[-2, 0.1], [0, 0]]]);
    const c: LayerCase = { name: 'affine at chosen points', make: () => transformerLayer(affineTransformer(), theta), d: 2, x: () => tensor([[0, 3], [-1e3, 1e-3]]) };
    expect(await failedProperties(c)).toEqual([]);
  });

  it('finds a parameter the transformer never reads', async () => {
    const a = affineTransformer();
    const lazy: Transformer = { ...a, paramsPerDim: 3, identityParams: [0, 0, 0], forwardAndLogDet: (p, x) => a.forwardAndLogDet(sliceAxis(p, 2, 0, 2), x), inverseAndLogDet: (p, y) => a.inverseAndLogDet(sliceAxis(p, 2, 0, 2), y) };
    const theta = tensor([[[0.3, -0.5, 1], [1, 2, 1]]]);
    const r = await checkLayer({ name: 'lazy', make: () => transformerLayer(lazy, theta), d: 2, x: () => tensor([[0.5, -0.5]]) });
    const g = r.find((v) => v.property === 'every parameter gets a gradient')!;
    expect(g.ok).toBe(false);
    expect(g.detail).toBe('zero gradient: 2');
  });
});

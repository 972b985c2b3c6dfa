import { fit } from '@rheo/train';
import { add, key, matmul, mean, mul, normal, tensor, tidy, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { deserializeModel, serializeModel } from './model-file.js';
import type { FlowModel, Model } from './model.js';
import { glow, maf, realNVP, residualFlow, saef } from './index.js';

// Every preset, small enough for a test, with a non-trivial context where the layers allow one.
const CASES: Array<[string, () => Model, number, number]> = [
  ['realnvp', () => realNVP(key(1), 3, { transforms: 3, hidden: [16] }), 3, 0],
  ['realnvp conditional', () => realNVP(key(1), 3, { transforms: 2, hidden: [16], context: 2 }), 3, 2],
  ['maf', () => maf(key(2), 3, { transforms: 2, hidden: [16] }), 3, 0],
  ['maf conditional', () => maf(key(2), 3, { transforms: 2, hidden: [16], context: 2 }), 3, 2],
  ['residual-flow', () => residualFlow(key(3), 2, { blocks: 2, hidden: [16] }), 2, 0],
  ['glow', () => glow(key(4), 16, { levels: 1, steps: 2, hidden: [16] }), 16, 0],
  ['saef', () => saef(key(5), 3, { blockSize: 2, hidden: [16] }), 3, 0],
  ['saef conditional', () => saef(key(5), 3, { blockSize: 2, hidden: [16], context: 2 }), 3, 2],
];

// Moves every parameter off its identity initialisation, so round trips compare non-trivial maps.
function perturbed(m: Model): Model {
  const bump = (t: unknown, i: number): unknown => {
    if (t !== null && typeof t === 'object' && 'shape' in (t as object)) {
      const x = t as Tensor;
      return tidy(() => add(x, mul(normal(key(100 + i), x.shape), 0.1)));
    }
    if (Array.isArray(t)) return t.map((c, j) => bump(c, i * 31 + j));
    if (t !== null && typeof t === 'object') return Object.fromEntries(Object.entries(t).map(([k, v], j) => [k, bump(v, i * 17 + j)]));
    return t;
  };
  return m.withParams(bump(m.params, 1) as never);
}
describe.each(CASES)('preset %s', (_name, make, d, c) => {
  it('round-trips through serializeModel / deserializeModel with the same log-density and samples', async () => {
    const m = perturbed(make());
    const x = normal(key(7), [5, d]);
    const context = c > 0 ? normal(key(8), [5, c]) : undefined;
    const bytes = await serializeModel(m);
    const back = deserializeModel(bytes, 'test');
    expect(back.preset).toBe(m.preset);
    expect(back.options).toEqual(m.options);
    const opts = { key: key(9), ...(context ? { context } : {}) };
    expect(Array.from(await back.sample(5, opts).data())).toEqual(Array.from(await m.sample(5, opts).data()));
    if (m.kind === 'flow' && back.kind === 'flow') {
      const a = await m.logProb(x, context ? { context } : {}).data();
      const b = await back.logProb(x, context ? { context } : {}).data();
      for (let i = 0; i < 5; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
      expect(a.every(Number.isFinite)).toBe(true);
    }
  });

  it.runIf(make().kind === 'flow')('sampleAndLogProb agrees with logProb of its samples (inverse against forward)', async () => {
    const m = perturbed(make()) as FlowModel;
    const context = c > 0 ? normal(key(8), [1, c]) : undefined;
    const { x, logProb } = m.sampleAndLogProb(6, { key: key(11), ...(context ? { context } : {}) });
    const again = await m.logProb(x, context ? { context } : {}).data();
    const first = await logProb.data();
    for (let i = 0; i < 6; i++) expect(Math.abs(first[i]! - again[i]!)).toBeLessThan(2e-3);
  });
});

describe('presets on data that is not standardised', () => {
  // x = μ + σ·z·Aᵀ with σ = 0.09, μ = 5: entropy ½ log det(2πe Σ), Σ = σ²AAᵀ.
  const entropy = (d: number, detA: number) => 0.5 * d * Math.log(2 * Math.PI * Math.E) + d * Math.log(0.09) + Math.log(Math.abs(detA));
  const mixing = (d: number) => tensor(Float32Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : i === 1 ? 0.8 : 0)), [d, d]);
  const draw = (d: number, k: ReturnType<typeof key>, n: number) => tidy(() => add(mul(matmul(normal(k, [n, d]), mixing(d)), 0.09), 5));

  it.each<[string, (d: number) => FlowModel, number, number]>([
    ['realnvp', (d) => realNVP(key(1), d, { transforms: 4, hidden: [16] }), 2, 300],
    ['maf', (d) => maf(key(2), d, { transforms: 2, hidden: [16] }), 3, 300],
    ['residual-flow', (d) => residualFlow(key(3), d, { blocks: 2, hidden: [16] }), 2, 150],
    ['glow', (d) => glow(key(4), d, { image: [1, 2, 2], levels: 1, steps: 2, hidden: [16] }), 4, 300],
  ])('%s reaches the entropy of a scaled, shifted Gaussian', async (_n, make, d, steps) => {
    const train = draw(d, key(20), 4096);
    const model = make(d).initialize(train);
    const result = await fit({ ...model.fitSpec, batch: (_s, k) => draw(d, k, 256), steps, key: key(21), optimizer: { lr: 1e-2 } });
    const trained = model.withParams(result.params, result.buffers);
    const nll = -(await mean(trained.logProb(draw(d, key(22), 4096))).data())[0]!;
    // The determinant of A is 1 (unit diagonal, one off-diagonal entry).
    expect(nll - entropy(d, 1)).toBeLessThan(0.06);
    expect(nll - entropy(d, 1)).toBeGreaterThan(-0.06);
  }, 120_000);
});

describe('saef generateWith', () => {
  it('maps given noise as sample maps the noise it draws from the key', async () => {
    const m = saef(key(5), 4, { blockSize: 2, hidden: [16] });
    const eps = normal(key(12), [6, 4]);
    const a = await m.generateWith!(m.params, eps).data();
    const b = await m.sampleWith(m.params, key(12), 6).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    // Different noise, different samples: the noise is not ignored.
    const c = await m.generateWith!(m.params, normal(key(13), [6, 4])).data();
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });
});

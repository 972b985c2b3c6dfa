import { createModel, deserializeModel, type FlowModel, serializeModel } from '@rheo/models';
import { fit } from '@rheo/train';
import { add, key, matmul, mean, mul, normal, setBackend, tensor, tidy, type Tensor } from '@rheo/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { nsf } from './index.js';

beforeAll(async () => {
  await setBackend('cpu', { quiet: true });
});

// Moves every parameter off its identity initialisation, so the round trip compares non-trivial splines.
function perturbed(m: FlowModel): FlowModel {
  let i = 0;
  const bump = (t: unknown): unknown => {
    if (t !== null && typeof t === 'object' && 'shape' in (t as object)) return tidy(() => add(t as Tensor, mul(normal(key(100 + i++), (t as Tensor).shape), 0.2)));
    if (Array.isArray(t)) return t.map(bump);
    if (t !== null && typeof t === 'object') return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, bump(v)]));
    return t;
  };
  return m.withParams(bump(m.params) as FlowModel['params']);
}

describe('the nsf preset', () => {
  it.each<[string, () => FlowModel, number, number]>([
    ['coupling', () => nsf(key(1), 3, { transforms: 3, hidden: [16], bins: 4 }), 3, 0],
    ['autoregressive, conditional', () => nsf(key(2), 3, { form: 'autoregressive', transforms: 2, hidden: [16], context: 2 }), 3, 2],
  ])('%s: round-trips through serializeModel / deserializeModel with the same log-density', async (_n, make, d, c) => {
    const m = perturbed(make());
    const x = mul(normal(key(7), [6, d]), 2);
    const opts = c > 0 ? { context: normal(key(8), [6, c]) } : {};
    const back = deserializeModel(await serializeModel(m), 'test');
    expect(back.preset).toBe('nsf');
    expect(back.metadata['rheo.package']).toBe('@rheo/splines');
    if (back.kind !== 'flow') throw new Error('expected a flow');
    const a = await m.logProb(x, opts).data();
    const b = await back.logProb(x, opts).data();
    expect(a.every(Number.isFinite)).toBe(true);
    // A perturbed model is not the identity: its log-density differs from the base's.
    const base = await nsf(key(1), d, { transforms: 1, actNorm: false }).logProb(x).data();
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - base[i]!)))).toBeGreaterThan(1e-2);
    for (let i = 0; i < 6; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
  });

  it('is registered by importing the package, under the name model files use', () => {
    const m = createModel('nsf', key(3), 2, { transforms: 1, hidden: [8] });
    expect(m.preset).toBe('nsf');
    expect(m.options).toMatchObject({ form: 'coupling', bins: 8, bound: 3, actNorm: true });
    expect(() => createModel('nsf', key(3), 2, { bins: 0 })).toThrow(/nsf\(options\.bins\): received 0; expected an integer ≥ 1/);
    expect(() => createModel('nsf', key(3), 1)).toThrow(/nsf\(features\): received 1; expected an integer ≥ 2/);
  });

  it('reaches the entropy of a scaled, shifted Gaussian from data that is not standardised (ActNorm brings it inside the bound)', async () => {
    // x = μ + σ·z·Aᵀ with σ = 0.09, μ = 5 (far outside B = 3): entropy ½ d log(2πe) + d log σ + log |det A|, det A = 1.
    const d = 2;
    const A = tensor(Float32Array.from([1, 0.8, 0, 1]), [d, d]);
    const draw = (k: ReturnType<typeof key>, n: number) => tidy(() => add(mul(matmul(normal(k, [n, d]), A), 0.09), 5));
    const entropy = 0.5 * d * Math.log(2 * Math.PI * Math.E) + d * Math.log(0.09);
    const model = nsf(key(4), d, { transforms: 2, hidden: [16] }).initialize(draw(key(20), 4096));
    const result = await fit({ ...model.fitSpec, batch: (_s, k) => draw(k, 256), steps: 300, key: key(21), optimizer: { lr: 1e-2 } });
    const trained = model.withParams(result.params, result.buffers);
    const nll = -(await mean(trained.logProb(draw(key(22), 4096))).data())[0]!;
    expect(Math.abs(nll - entropy)).toBeLessThan(0.06);
  }, 120_000);
});

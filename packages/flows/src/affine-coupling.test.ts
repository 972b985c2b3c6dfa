import { key, normal, type Tensor } from '@rheo/tensor';
import type { LinearParams } from '@rheo/nn';
import { describe, expect, it } from 'vitest';
import { affineCoupling } from './affine-coupling.js';
import { perturb } from './testing/perturb.js';

async function host(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** The conditioner and coupling in float64, written out independently of the layer. */
async function reference(params: LinearParams[], x: number[], pass: boolean[], clamp: number): Promise<{ z: number[]; logDet: number }> {
  const a = x.filter((_, i) => pass[i]);
  let h = a;
  for (let l = 0; l < params.length; l++) {
    const w = await host(params[l]!.w);
    const b = await host(params[l]!.b);
    const out = b.map((bi, o) => bi + h.reduce((acc, v, i) => acc + w[o * h.length + i]! * v, 0));
    h = l < params.length - 1 ? out.map((v) => Math.max(v, 0)) : out;
  }
  const nb = pass.filter((p) => !p).length;
  const s = h.slice(0, nb).map((r) => clamp * Math.tanh(r / clamp));
  const t = h.slice(nb);
  let j = 0;
  const z = x.map((v, i) => (pass[i] ? v : v * Math.exp(s[j]!) + t[j++]!));
  return { z, logDet: s.reduce((p, q) => p + q, 0) };
}

describe('affineCoupling', () => {
  it('starts as the identity with log-det 0', async () => {
    const t = affineCoupling(key(1), 6, { hidden: [8] });
    const x = normal(key(2), [4, 6]);
    const { out, logDet } = t.forwardAndLogDet(t.params, null, x);
    expect(await host(out)).toEqual(await host(x));
    expect(await host(logDet)).toEqual([0, 0, 0, 0]);
  });

  it('matches a float64 re-implementation, alternating mask (x_A kept, x_B scaled and shifted)', async () => {
    const t = affineCoupling(key(3), 5, { hidden: [7, 6], mask: 'alternating', scaleClamp: 2 });
    const p = perturb(t.params, key(4), 0.5);
    const x = normal(key(5), [3, 5]);
    const { out, logDet } = t.forwardAndLogDet(p, null, x);
    const xs = await host(x), zs = await host(out), ld = await host(logDet);
    for (let s = 0; s < 3; s++) {
      const want = await reference(p, xs.slice(5 * s, 5 * s + 5), [true, false, true, false, true], 2);
      want.z.forEach((v, i) => expect(zs[5 * s + i]).toBeCloseTo(v, 4));
      expect(ld[s]).toBeCloseTo(want.logDet, 4);
    }
  });

  it('bounds the log-scale by the soft clamp', async () => {
    const t = affineCoupling(key(6), 4, { hidden: [8], scaleClamp: 0.5 });
    const p = perturb(t.params, key(7), 20);
    const ld = await host(t.forwardAndLogDet(p, null, normal(key(8), [16, 4])).logDet);
    // Two scaled entries, each |s| ≤ 0.5; with weights this large some reach the bound.
    expect(Math.max(...ld.map(Math.abs))).toBeLessThanOrEqual(1 + 1e-6);
    expect(Math.max(...ld.map(Math.abs))).toBeGreaterThan(0.9);
  });

  it('conditions on the context: the output changes with it, x_A does not', async () => {
    const t = affineCoupling(key(9), 4, { hidden: [8], contextDim: 2 });
    const p = perturb(t.params, key(10));
    const x = normal(key(11), [3, 4]);
    const a = await host(t.forwardAndLogDet(p, null, x, { context: normal(key(12), [3, 2]) }).out);
    const b = await host(t.forwardAndLogDet(p, null, x, { context: normal(key(13), [3, 2]) }).out);
    const xs = await host(x);
    for (let s = 0; s < 3; s++) {
      for (const i of [0, 1]) expect([a[4 * s + i], b[4 * s + i]]).toEqual([xs[4 * s + i], xs[4 * s + i]]);
      expect(Math.abs(a[4 * s + 2]! - b[4 * s + 2]!) + Math.abs(a[4 * s + 3]! - b[4 * s + 3]!)).toBeGreaterThan(1e-3);
    }
  });

  it('names the missing or misshapen context and a bad mask', () => {
    const t = affineCoupling(key(14), 4, { hidden: [4], contextDim: 2 });
    const x = normal(key(15), [3, 4]);
    expect(() => t.forwardAndLogDet(t.params, null, x)).toThrow(/affineCoupling\(options\.context\): received undefined; expected a tensor of shape \[3, 2\]/);
    expect(() => t.forwardAndLogDet(t.params, null, x, { context: normal(key(16), [3, 5]) })).toThrow(/received shape \[3, 5\]; expected \[3, 2\]/);
    expect(() => affineCoupling(key(17), 3, { mask: [true, true, true] })).toThrow(/passes 3 of 3 entries through; expected between 1 and 2/);
    expect(() => t.forwardAndLogDet(t.params, null, normal(key(18), [3, 5]), { context: normal(key(16), [3, 2]) })).toThrow(/input has shape \[3, 5\]; expected \[n, 4\]/);
  });
});

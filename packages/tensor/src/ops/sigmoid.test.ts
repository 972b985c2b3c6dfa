import { describe, expect, it } from 'vitest';
import '../backends/cpu.js';
import { tensor } from '../creation.js';
import { tidy } from '../engine.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { less } from './less.js';
import { neg } from './neg.js';
import { sigmoid } from './sigmoid.js';
import { where } from './where.js';

/** The composite sigmoid was before it became a primitive: where(x < 0, e, 1)/(e + 1), e = exp(−|x|). */
function composite(x: Float32Array): Float32Array {
  return tidy(() => {
    const t = tensor(x, [x.length]);
    const e = exp(neg(abs(t)));
    return div(where(less(t, 0), e, 1), add(e, 1)).dataSync() as Float32Array;
  });
}

const primitive = (x: Float32Array) => tidy(() => sigmoid(tensor(x, [x.length])).dataSync() as Float32Array);

/** Dense sweep of [lo, hi] in m float32 points. */
const sweep = (lo: number, hi: number, m: number) => Float32Array.from({ length: m }, (_, i) => lo + ((hi - lo) * i) / (m - 1));

describe('sigmoid primitive', () => {
  it('gives the composite\'s bits, on the plain path (short arrays) and the SIMD path', () => {
    const specials = new Float32Array([NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 88, -88, 104, -104, 200, -200]);
    for (const x of [specials, sweep(-3, 3, 50), sweep(-40, 40, 100_001), sweep(-1e-3, 1e-3, 4097)]) {
      expect(primitive(x)).toEqual(composite(x));
    }
  });

  it('is within 3 ulp (relative error < 3e-7) of 1/(1 + e^−x) in float64 over a dense sweep', () => {
    const x = sweep(-87, 30, 400_001);
    const y = primitive(x);
    let worstUlp = 0, worstRel = 0;
    for (let i = 0; i < x.length; i++) {
      const exact = 1 / (1 + Math.exp(-x[i]!));
      const f = Math.fround(exact);
      const spacing = Math.max(Math.abs(Math.fround(f * (1 + 2 ** -23)) - f), 2 ** -149);
      worstUlp = Math.max(worstUlp, Math.abs(y[i]! - exact) / spacing);
      worstRel = Math.max(worstRel, Math.abs(y[i]! - exact) / exact);
    }
    // Measured: 2.15 ulp and 1.7e-7 relative (exp's error, then one rounded add and one rounded division).
    expect(worstUlp).toBeLessThan(3);
    expect(worstRel).toBeLessThan(3e-7);
  });

  it('is the same on every run, and at every length from 64 elements (where the SIMD path starts)', () => {
    const x = sweep(-9, 9, 8195);
    const first = primitive(x);
    expect(primitive(x)).toEqual(first);
    for (const n of [64, 65, 1000]) expect(primitive(x.subarray(0, n))).toEqual(first.subarray(0, n));
  });
});

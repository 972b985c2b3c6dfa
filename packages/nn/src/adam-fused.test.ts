import { add, div, mul, sqrt, sub, tensor, type Tensor } from '@rheo/tensor';
import { describe, expect, test } from 'vitest';
import { adamInit, adamStep } from './adam';
import { fusedAdamScalars, fusedAdamUpdate } from './adam-fused';

// The reference is the plain chain of elementwise ops adamStep ran before (and still runs off the CPU).
function plain(p: Tensor, g: Tensor, m: Tensor, v: Tensor, lr: number, b1: number, b2: number, eps: number, wd: number, step: number): Tensor[] {
  const m1 = add(mul(m, b1), mul(g, 1 - b1));
  const v1 = add(mul(v, b2), mul(mul(g, g), 1 - b2));
  const update = div(div(m1, 1 - b1 ** step), add(sqrt(div(v1, 1 - b2 ** step)), eps));
  let next = sub(p, mul(update, lr));
  if (wd > 0) next = sub(next, mul(p, lr * wd));
  return [next, m1, v1];
}

function values(n: number, seed: number, scale: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // Zeros, signed zeros, subnormals and large values among ordinary ones.
    const special = [0, -0, 1e-40, -3e30, 1e-20][i % 23];
    return special !== undefined && i % 23 < 5 && i % 3 === 0 ? special : (s / 2 ** 31 - 1) * scale;
  });
}

const bits = (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

describe('fused Adam (CPU)', () => {
  test('gives the plain ops\' bits for the moments and the parameter, with and without weight decay, over several steps', () => {
    for (const [n, wd, lr] of [[1, 0, 1e-3], [37, 0, 1e-3], [4099, 0.1, 2e-2], [64, 0, 0.5]] as const) {
      const shape = n === 1 ? [] : [n];
      const p = tensor(values(n, 1, 2), shape), m = tensor(values(n, 2, 0.1), shape), v = tensor(Float32Array.from(values(n, 3, 0.01), Math.abs), shape);
      for (const step of [1, 2, 17, 1000]) {
        const g = tensor(values(n, 4 + step, 3), shape);
        const got = fusedAdamUpdate(p, g, m, v, fusedAdamScalars({ lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: wd, step }))!;
        expect(got).not.toBeNull();
        const want = plain(p, g, m, v, lr, 0.9, 0.999, 1e-8, wd, step);
        for (let k = 0; k < 3; k++) expect(bits(got[k]!), `n ${n}, step ${step}, output ${k}`).toEqual(bits(want[k]!));
      }
    }
  });

  test('adamStep over three steps gives the bits of the plain chain', () => {
    let p = { w: tensor(values(300, 9, 1), [20, 15]), b: tensor(values(15, 10, 1), [15]) };
    let s = adamInit(p);
    let ref = { w: p.w, b: p.b }, rm = { w: s.m.w, b: s.m.b }, rv = { w: s.v.w, b: s.v.b };
    for (let step = 1; step <= 3; step++) {
      const g = { w: tensor(values(300, 20 + step, 2), [20, 15]), b: tensor(values(15, 30 + step, 2), [15]) };
      [p, s] = adamStep(p, g, s, { lr: 1e-2 });
      const [w, mw, vw] = plain(ref.w, g.w, rm.w, rv.w, 1e-2, 0.9, 0.999, 1e-8, 0, step);
      const [b, mb, vb] = plain(ref.b, g.b, rm.b, rv.b, 1e-2, 0.9, 0.999, 1e-8, 0, step);
      ref = { w: w!, b: b! }; rm = { w: mw!, b: mb! }; rv = { w: vw!, b: vb! };
      expect(bits(p.w)).toEqual(bits(ref.w));
      expect(bits(p.b)).toEqual(bits(ref.b));
      expect(bits(s.v.w)).toEqual(bits(rv.w));
    }
  });
});

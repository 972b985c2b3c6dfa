import { key, tensor, uniform, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { logitTransform } from './logit-transform.js';

async function host(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('logitTransform', () => {
  it('y = logit(α + (1 − 2α)x) and log-det Σ log((1 − 2α)/(p(1 − p))), against float64', async () => {
    const alpha = 0.05;
    const t = logitTransform(alpha);
    const x = uniform(key(1), [4, 3]);
    const { out, logDet } = t.forwardAndLogDet([], null, x);
    const [xs, ys, ld] = [await host(x), await host(out), await host(logDet)];
    for (let s = 0; s < 4; s++) {
      let want = 0;
      for (let i = 0; i < 3; i++) {
        const p = alpha + (1 - 2 * alpha) * xs[3 * s + i]!;
        expect(ys[3 * s + i]).toBeCloseTo(Math.log(p / (1 - p)), 4);
        want += Math.log((1 - 2 * alpha) / (p * (1 - p)));
      }
      expect(ld[s]).toBeCloseTo(want, 4);
    }
  });

  it('is finite at the ends of [0, 1] and maps them back', async () => {
    const t = logitTransform(0.01);
    const x = tensor([[0, 1, 0.5]]);
    const { out, logDet } = t.forwardAndLogDet([], null, x);
    const y = await host(out);
    expect(y[0]).toBeCloseTo(-Math.log(99), 4);
    expect(y[1]).toBeCloseTo(Math.log(99), 4);
    expect(y[2]).toBeCloseTo(0, 6);
    // Closed form: 2 log(0.98/(0.01·0.99)) + log(0.98/0.25).
    expect((await host(logDet))[0]).toBeCloseTo(2 * Math.log(0.98 / 0.0099) + Math.log(0.98 / 0.25), 3);
    const back = await host(t.inverseAndLogDet([], null, out).out);
    back.forEach((v, i) => expect(v).toBeCloseTo([0, 1, 0.5][i]!, 5));
  });

  it('names a bad alpha', () => {
    expect(() => logitTransform(0.5)).toThrow(/logitTransform\(alpha\): received 0.5; expected a number in \[0, 0.5\)/);
  });
});

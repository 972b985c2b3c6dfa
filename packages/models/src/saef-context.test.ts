import { fit } from '@rheo/train';
import { add, ArgumentError, concat, key, mul, normal, ShapeError, tensor, tidy, type Key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { saef } from './index.js';

// x | c ~ N((2c, −c), 0.3² I): the conditional mean moves with c, the spread does not (the marginal sd is √5.09 ≈ 2.26).
const pairs = (k: Key, n: number) => tidy(() => {
  const c = normal(k, [n, 1]);
  const x = add(concat([mul(c, 2), mul(c, -1)], 1), mul(normal(key(k.k0 + 7), [n, 2]), 0.3));
  return { x, context: c };
});

describe('saef with a context', () => {
  it('trained by the expected energy score, it samples the conditional law x | c (mean and spread)', async () => {
    const model = saef(key(1), 2, { blockSize: 1, hidden: [32], context: 1 });
    expect(model.contextFeatures).toBe(1);
    const r = await fit({ ...model.fitSpec, batch: (_s, k) => pairs(k, 128), steps: 1000, key: key(2), optimizer: { lr: { lr: 1e-2, decay: "cosine", finalFraction: 0.02 } } });
    const trained = model.withParams(r.params);
    for (const c of [-1, 0, 1]) {
      const s = await trained.sample(4000, { key: key(3), context: tensor([c], [1, 1]) }).data();
      for (const [j, mu] of [[0, 2 * c], [1, -c]] as const) {
        let m = 0;
        for (let i = 0; i < 4000; i++) m += s[2 * i + j]! / 4000;
        let v = 0;
        for (let i = 0; i < 4000; i++) v += (s[2 * i + j]! - m) ** 2 / 3999;
        expect(Math.abs(m - mu), `c = ${c}, mean of x_${j}`).toBeLessThan(0.1);
        expect(Math.abs(Math.sqrt(v) - 0.3), `c = ${c}, sd of x_${j}`).toBeLessThan(0.1);
      }
    }
  }, 60_000);

  it('asks for the context it was built with', () => {
    const model = saef(key(1), 2, { context: 3 });
    expect(() => model.sample(4, { key: key(1) })).toThrow(ArgumentError);
    expect(() => model.sample(4, { key: key(1), context: normal(key(2), [2, 3]) })).toThrow(ShapeError);
    expect(() => saef(key(1), 2).sample(4, { key: key(1), context: normal(key(2), [4, 3]) })).toThrow(/unconditional/);
    expect(model.sample(4, { key: key(1), context: normal(key(2), [1, 3]) }).shape).toEqual([4, 2]);
  });
});

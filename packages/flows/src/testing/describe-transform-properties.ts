import { key, normal, type Tensor } from '@rheo/tensor';
import { describe, it } from 'vitest';
import { checkTransform } from './check-transform.js';
import { TRANSFORM_CASES } from './transform-cases.js';

/** The table-driven property test (round trip, brute-force log-det, fused vs plain) for every transform. */
export function describeTransformProperties(label: string): void {
  describe(`transform properties on ${label} (round trip, brute-force log-det, fused vs plain)`, () => {
    for (const c of TRANSFORM_CASES) {
      it(c.name, async () => {
        const t = c.make();
        const x: Tensor = c.x ? c.x() : normal(key(7), [5, c.d]);
        await checkTransform(t, c.params ? c.params(t) : t.params, t.buffers, x, c.options ? { options: c.options() } : {});
      });
    }
  });
}

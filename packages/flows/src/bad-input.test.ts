import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { ArgumentError, key, normal, RheoError, ShapeError } from '@rheo/tensor';
import { describe, expect, test } from 'vitest';
import { affineCoupling } from './affine-coupling.js';
import { standardNormal } from './base.js';
import { flow, logProb } from './flow.js';
import { maf } from './maf.js';
import type { AnyTransform } from './transform.js';

// Bad input at the package's entry points → one clear error naming the argument and the cause.
const mismatched = flow(standardNormal(3), [maf(key(1), 5, { hidden: [8] })]);

const ROWS: readonly BadInputRow[] = [
  {
    label: 'a base of dimension 3 under a 5-D MAF',
    call: () => logProb(mismatched, mismatched.params, mismatched.buffers, normal(key(2), [4, 5])),
    error: ShapeError,
    patterns: [/flow/, /\[4, 5\]/, /event shape \[3\]/],
  },
  { label: 'standardNormal(3).logProb of 5 columns', call: () => standardNormal(3).logProb(normal(key(3), [2, 5])), error: ShapeError, patterns: [/standardNormal\(3\)\.logProb\(z\)/, /\[2, 5\]/, /\[n, 3\]/] },
  { label: 'affineCoupling on 1-D data', call: () => affineCoupling(key(4), 1), error: ArgumentError, patterns: [/affineCoupling\(eventShape\)/, /\[1\]/, /at least 2 entries/] },
  { label: 'affineCoupling on [1, 1] events', call: () => affineCoupling(key(4), [1, 1]), error: ArgumentError, patterns: [/affineCoupling\(eventShape\)/, /\[1, 1\]/] },
  { label: 'flow(base) not a distribution', call: () => flow(null as never, []), error: ArgumentError, patterns: [/flow\(base\)/, /null/] },
  { label: 'flow(transforms[1]) not a transform', call: () => flow(standardNormal(2), [affineCoupling(key(5), 2), 3 as unknown as AnyTransform]), error: ArgumentError, patterns: [/flow\(transforms\[1\]\)/, /number/] },
];

describeBadInput('bad input to @rheo/flows', ROWS);

describe('bad input to @rheo/flows: inputs that are fine', () => {
  test('a matching base gives the closed form: identity-initialised coupling on N(0, I)', () => {
    // A fresh coupling is the identity, so log p(x) = −½‖x‖² − log 2π for d = 2.
    const f = flow(standardNormal(2), [affineCoupling(key(6), 2, { hidden: [4] })]);
    const x = normal(key(7), [3, 2]);
    const got = Array.from(logProb(f, f.params, f.buffers, x).dataSync());
    const xs = x.dataSync();
    const want = [0, 1, 2].map((i) => -0.5 * (xs[2 * i]! ** 2 + xs[2 * i + 1]! ** 2) - Math.log(2 * Math.PI));
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
  });
});

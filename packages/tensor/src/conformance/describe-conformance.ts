import { beforeAll, describe } from 'vitest';
import { setBackend } from '../engine.js';
import { describeComposites } from './composite-suite.js';
import { describeErrors } from './error-suite.js';
import { describeMemory } from './memory-suite.js';
import { describePrimitives } from './primitive-suite.js';
import { describeRandom } from './random-suite.js';
import { describeSecondOrder } from './second-order-suite.js';

/**
 * The conformance suite every backend must pass: primitives forward and
 * backward, second-order autodiff, composites, error messages, memory and randomness.
 * Results are read with `await t.data()` only, so asynchronous backends run it
 * unchanged.
 */
export function describeConformance(backend: string): void {
  describe(`conformance: ${backend}`, () => {
    beforeAll(async () => {
      await setBackend(backend, { quiet: true });
    });
    describePrimitives();
    describeSecondOrder();
    describeComposites();
    describeErrors();
    describeMemory();
    describeRandom();
  });
}

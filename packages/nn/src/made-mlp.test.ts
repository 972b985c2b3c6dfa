import { describe, expect, it } from 'vitest';
import { grad, key, normal, sliceAxis, sum, type Tensor } from '@rheo/tensor';
import type { ActivationName } from './activation';
import { madeMlp, type MadeMlpOptions } from './made-mlp';

/** J[o][j] = ∂ out_o / ∂ x_j at x, one reverse pass per output. */
function jacobian(f: (x: Tensor) => Tensor, x: Tensor, outputs: number): number[][] {
  return Array.from({ length: outputs }, (_, o) => Array.from(grad((z: Tensor) => sum(sliceAxis(f(z), 1, o, o + 1)))(x).dataSync()));
}

/**
 * Checks the network's Jacobian against the dependency structure it must have:
 * output o (parameter of dimension i = o mod d) may depend on input j only when
 * group(j) < group(i), where group is the position in the order divided by the block size.
 * With `full`, every allowed entry must also be non-zero (all paths connected).
 */
function checkStructure(d: number, hidden: number[], opts: MadeMlpOptions, pos: number[], full: boolean, seed: number): void {
  const k = opts.outputsPerInput ?? 1;
  const b = opts.blockSize ?? 1;
  const net = madeMlp(key(seed), d, hidden, opts);
  const x = normal(key(seed + 100), [1, d]);
  const J = jacobian((z) => net.apply(net.params, z), x, k * d);
  let allowedNonZero = 0, allowed = 0;
  for (let o = 0; o < k * d; o++) {
    const i = o % d;
    for (let j = 0; j < d; j++) {
      const mayDepend = Math.floor(pos[j]! / b) < Math.floor(pos[i]! / b);
      if (!mayDepend) expect(J[o]![j], `output ${o} on input ${j}`).toBe(0);
      else {
        allowed++;
        if (Math.abs(J[o]![j]!) > 1e-7) allowedNonZero++;
        else if (full) expect.fail(`output ${o} does not depend on input ${j}, which precedes it in the order`);
      }
    }
  }
  expect(allowed).toBeGreaterThan(0);
  expect(allowedNonZero).toBeGreaterThan(0);
}

describe('madeMlp is autoregressive (brute-force Jacobian)', () => {
  const acts: ActivationName[] = ['tanh', 'relu', 'elu', 'swish', 'lipSwish'];
  it.each(acts)('natural order, cycled degrees, 2 outputs per input, %s', (activation) => {
    const d = 5;
    checkStructure(d, [12, 12], { outputsPerInput: 2, activation }, [0, 1, 2, 3, 4], activation === 'tanh', 1);
  });

  it('reversed order', () => {
    checkStructure(4, [8], { order: 'reversed' }, [3, 2, 1, 0], true, 2);
  });

  it('a given permutation', () => {
    const order = [2, 0, 4, 1, 3];
    checkStructure(5, [10, 10], { order, outputsPerInput: 3 }, order, true, 3);
  });

  it('hidden degrees drawn from a key', () => {
    checkStructure(6, [16, 16], { hiddenDegrees: key(9) }, [0, 1, 2, 3, 4, 5], false, 4);
  });

  it('without hidden layers', () => {
    checkStructure(4, [], { outputsPerInput: 2 }, [0, 1, 2, 3], true, 5);
  });

  it('block order: a unit of block b sees only inputs of earlier blocks', () => {
    checkStructure(6, [10, 10], { blockSize: 2, outputsPerInput: 2 }, [0, 1, 2, 3, 4, 5], true, 6);
    // Uneven last block (7 = 3 + 3 + 1) under a permutation.
    const order = [6, 0, 3, 1, 5, 2, 4];
    checkStructure(7, [9], { blockSize: 3, order }, order, true, 7);
  });
});

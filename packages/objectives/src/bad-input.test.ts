import { ArgumentError, RheoError, zeros } from '@rheo/tensor';
import { describe, expect, test } from 'vitest';
import { energyScore } from './energy-score.js';
import { bitsPerDim } from './nll.js';

// Bad input at the package's entry points → one clear error naming the argument and the cause.
interface Row {
  readonly label: string;
  readonly call: () => unknown;
  readonly error: typeof RheoError;
  readonly patterns: readonly RegExp[];
}

const ROWS: readonly Row[] = [
  { label: 'energyScore with one sample per point', call: () => energyScore(zeros([4, 1, 2]), zeros([4, 2])), error: ArgumentError, patterns: [/energyScore\(samples\)/, /m ≥ 2/, /received 1/] },
  { label: 'energyScore with data of another shape', call: () => energyScore(zeros([4, 3, 2]), zeros([5, 2])), error: ArgumentError, patterns: [/energyScore\(data\)/, /\[4, 2\]/, /\[5, 2\]/] },
  { label: 'energyScore with beta 2', call: () => energyScore(zeros([4, 3, 2]), zeros([4, 2]), { beta: 2 }), error: ArgumentError, patterns: [/energyScore\(beta\)/, /\(0, 2\)/, /received 2/] },
  { label: 'bitsPerDim with 0 dims', call: () => bitsPerDim(zeros([3]), { dims: 0 }), error: ArgumentError, patterns: [/bitsPerDim\(dims\)/, /received 0/] },
];

describe('bad input to @rheo/objectives', () => {
  test.each(ROWS)('$label', ({ call, error, patterns }) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(error);
    const message = (thrown as Error).message;
    expect(message).not.toContain('\n');
    for (const p of patterns) expect(message).toMatch(p);
  });
});

import { describe, expect, it } from 'vitest';
import { matrix } from './matrix.js';
import { splitMaf } from './split-maf.js';

describe('splitMaf', () => {
  it('takes test = last floor(0.1 n), val = last floor(0.1 rest), in order', () => {
    // n = 105: test 10 rows (95..104), rest 95, val floor(9.5) = 9 rows (86..94), train 86 rows.
    const m = matrix(Float32Array.from({ length: 105 }, (_, i) => i), 105, 1);
    const s = splitMaf(m);
    expect([s.train.rows, s.val.rows, s.test.rows]).toEqual([86, 9, 10]);
    expect([s.train.data[85], s.val.data[0], s.val.data[8], s.test.data[0], s.test.data[9]]).toEqual([85, 86, 94, 95, 104]);
  });

  it('rejects fractions outside [0, 1)', () => {
    const m = matrix(new Float32Array(4), 4, 1);
    expect(() => splitMaf(m, 1)).toThrow(/testFraction\): expected a fraction in \[0, 1\), received 1/);
    expect(() => splitMaf(m, 0.1, -0.5)).toThrow(/valFraction/);
  });
});

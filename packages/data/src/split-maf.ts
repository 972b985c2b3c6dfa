import { ArgumentError } from '@rheo/tensor';
import { sliceRows, type Matrix } from './matrix.js';

/**
 * Train, validation and test rows of one data set, split as in the MAF paper (Papamakarios et al.
 * 2017, arXiv:1705.07057).
 */
export interface MafSplit {
  readonly train: Matrix;
  readonly val: Matrix;
  readonly test: Matrix;
}

/**
 * The split of Papamakarios et al. 2017 (MAF, arXiv:1705.07057): test = the
 * last floor(testFraction·n) rows, validation = the last
 * floor(valFraction·rest) rows of the rest, train = what remains. Rows are
 * taken in order; shuffle first where MAF does.
 */
export function splitMaf(m: Matrix, testFraction = 0.1, valFraction = 0.1): MafSplit {
  for (const [arg, f] of [['testFraction', testFraction], ['valFraction', valFraction]] as const) {
    if (!(f >= 0 && f < 1)) throw new ArgumentError(`splitMaf(${arg}): expected a fraction in [0, 1), received ${f}`);
  }
  const nTest = Math.floor(testFraction * m.rows);
  const rest = m.rows - nTest;
  const nVal = Math.floor(valFraction * rest);
  return { train: sliceRows(m, 0, rest - nVal), val: sliceRows(m, rest - nVal, rest), test: sliceRows(m, rest, m.rows) };
}

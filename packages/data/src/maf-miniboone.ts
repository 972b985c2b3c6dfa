import { ArgumentError, ShapeError } from '@rheo/tensor';
import type { Dataset } from './dataset.js';
import type { Matrix } from './matrix.js';
import { splitMaf } from './split-maf.js';
import { standardizationStats, standardize } from './standardize.js';

/** What every MINIBOONE result built from validation + test files alone must state. */
export const MINIBOONE_SPLITS_NOTE =
  'MINIBOONE: no training split available; the MAF validation split (val.npy) is used for training and the MAF test split (test.npy) for testing. Data were normalised by MAF with train+val statistics.';

/**
 * MAF's outlier cleaning of the MiniBooNE signal events (Papamakarios et al.
 * 2017, arXiv:1705.07057): drop rows whose first feature is below −100 (the
 * −999 placeholders), then drop every feature whose smallest value occurs more
 * than 5 times (a spike no density can fit). Returns the kept feature indices.
 */
export function minibooneClean(m: Matrix): { data: Matrix; keptFeatures: number[] } {
  const keepRows: number[] = [];
  for (let r = 0; r < m.rows; r++) if (!(m.data[r * m.cols]! < -100)) keepRows.push(r);
  const keptFeatures: number[] = [];
  for (let c = 0; c < m.cols; c++) {
    let min = Infinity;
    let count = 0;
    for (const r of keepRows) {
      const v = m.data[r * m.cols + c]!;
      if (v < min) {
        min = v;
        count = 1;
      } else if (v === min) count++;
    }
    if (count <= 5) keptFeatures.push(c);
  }
  const out = new Float32Array(keepRows.length * keptFeatures.length);
  keepRows.forEach((r, i) => keptFeatures.forEach((c, j) => (out[i * keptFeatures.length + j] = m.data[r * m.cols + c]!)));
  return { data: { data: out, rows: keepRows.length, cols: keptFeatures.length }, keptFeatures };
}

/**
 * MAF's MINIBOONE from the signal events (raw, or MAF's cleaned data.npy;
 * cleaning is idempotent): `minibooneClean`, no shuffle, test = last 10%,
 * validation = last 10% of the rest, standardised with train+val statistics.
 */
export function mafMiniboone(signal: Matrix): Dataset {
  const { data, keptFeatures } = minibooneClean(signal);
  if (data.rows < 10) throw new ArgumentError(`mafMiniboone(signal): expected at least 10 rows after cleaning, received ${data.rows}`);
  const parts = splitMaf(data);
  const stats = standardizationStats(parts.train, parts.val);
  return {
    name: 'miniboone',
    train: standardize(parts.train, stats),
    val: standardize(parts.val, stats),
    test: standardize(parts.test, stats),
    dim: data.cols,
    transforms: [
      { kind: 'preprocessed', description: `MAF cleaning: rows with feature 1 < -100 dropped, features kept (0-based) ${keptFeatures.join(',')}` },
      { kind: 'standardize', mean: stats.mean, std: stats.std, statsFrom: 'train+val' },
    ],
  };
}

/**
 * MINIBOONE from the published MAF validation and test splits only (already
 * cleaned and normalised by MAF): validation serves as the training split,
 * there is no validation split, and `note` says so.
 */
export function minibooneFromMafSplits(val: Matrix, test: Matrix): Dataset {
  if (val.cols !== test.cols) throw new ShapeError(`minibooneFromMafSplits(val, test): expected the same number of columns, received ${val.cols} and ${test.cols}`);
  return {
    name: 'miniboone',
    train: val,
    test,
    dim: val.cols,
    note: MINIBOONE_SPLITS_NOTE,
    transforms: [{ kind: 'preprocessed', description: 'MAF preprocessing (cleaning, train+val standardisation) applied upstream' }],
  };
}

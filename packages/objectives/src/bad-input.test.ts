import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { ArgumentError, RheoError, zeros } from '@rheo/tensor';
import { describe, expect, test } from 'vitest';
import { energyScore } from './energy-score.js';
import { hybridLoss } from './hybrid-loss.js';
import { bitsPerDim } from './nll.js';

// Bad input at the package's entry points → one clear error naming the argument and the cause.
const ROWS: readonly BadInputRow[] = [
  { label: 'energyScore with one sample per point', call: () => energyScore(zeros([4, 1, 2]), zeros([4, 2])), error: ArgumentError, patterns: [/energyScore\(samples\)/, /m ≥ 2/, /received 1/] },
  { label: 'energyScore with data of another shape', call: () => energyScore(zeros([4, 3, 2]), zeros([5, 2])), error: ArgumentError, patterns: [/energyScore\(data\)/, /\[4, 2\]/, /\[5, 2\]/] },
  { label: 'energyScore with beta 2', call: () => energyScore(zeros([4, 3, 2]), zeros([4, 2]), { beta: 2 }), error: ArgumentError, patterns: [/energyScore\(beta\)/, /\(0, 2\)/, /received 2/] },
  { label: 'hybridLoss with a label out of range', call: () => hybridLoss(zeros([2]), zeros([2, 3]), [0, 3], { lambda: 1 }), error: ArgumentError, patterns: [/crossEntropy\(labels\[1\]\)/, /received 3/, /0\.\.2/] },
  { label: 'bitsPerDim with 0 dims', call: () => bitsPerDim(zeros([3]), { dims: 0 }), error: ArgumentError, patterns: [/bitsPerDim\(dims\)/, /received 0/] },
];

describeBadInput('bad input to @rheo/objectives', ROWS);

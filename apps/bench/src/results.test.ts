import { describe, expect, it } from 'vitest';
import { suiteTable, type Row } from './results.js';

const row = (model: string, metric: string, value: number, unit: string): Row =>
  ({ suite: 'kernels', dataset: 'synthetic', model, objective: '-', backend: 'cpu', metric, value, unit, seed: 0 });

describe('suiteTable', () => {
  it('names a unit shared by a column in its header, and puts differing units in the cells', () => {
    const table = suiteTable([
      row('matmul', 'gflops', 21.5, 'GFLOP/s'),
      row('mlp step', 'gflops', 3.25, 'GFLOP/s'),
      row('mlp step', 'peer_time_ms', 79.4551, 'ms (tfjs-cpu)'),
      row('mlp fwd', 'peer_time_ms', 1.9702, 'ms (onnxruntime 1t)'),
    ]).split('\n');
    expect(table[0]).toBe('| dataset | model | objective | gflops (GFLOP/s) | peer_time_ms |');
    expect(table[2]).toBe('| synthetic | matmul | - | 21.500 |  |');
    expect(table[3]).toBe('| synthetic | mlp step | - | 3.250 | 79.455 ms (tfjs-cpu) |');
    expect(table[4]).toBe('| synthetic | mlp fwd | - |  | 1.970 ms (onnxruntime 1t) |');
  });

  it('marks lower-is-better metrics and escapes pipes in names', () => {
    const table = suiteTable([{ ...row('a|b', 'nll_nats', 1.5, 'nats'), suite: 'toy' }]).split('\n');
    expect(table[0]).toBe('| dataset | model | objective | nll_nats ↓ (nats) |');
    expect(table[2]).toBe('| synthetic | a\\|b | - | 1.500 |');
  });
});

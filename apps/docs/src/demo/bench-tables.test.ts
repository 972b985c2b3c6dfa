import { describe, expect, it } from 'vitest';
import { formatValue, suiteTables, type BenchRow } from './bench-tables.js';

const row = (suite: string, model: string, metric: string, value: number): BenchRow =>
  ({ suite, dataset: 'moons', model, objective: 'mle', backend: 'cpu', metric, value, unit: 'u', seed: 0 });

describe('suiteTables', () => {
  it('puts one line per model and one column per metric, leaving missing cells empty', () => {
    const t = suiteTables([row('toy', 'a', 'nll', 3.1), row('toy', 'b', 'nll', 2.5), row('toy', 'a', 'ed', 0.01), row('speed', 'a', 'sps', 1000)]);
    expect(t.map((s) => s.suite)).toEqual(['toy', 'speed']);
    expect(t[0]!.columns.map((c) => c.metric)).toEqual(['nll', 'ed']);
    expect(t[0]!.lines.map((l) => [l.model, ...l.cells])).toEqual([['a', '3.1', '0.01'], ['b', '2.5', '']]);
  });

  it('formats integers exactly and other values to four significant digits', () => {
    expect([formatValue(30), formatValue(3.14159), formatValue(15549.93), formatValue(1.431e-6)]).toEqual(['30', '3.142', '15550', '1.43e-6']);
  });
});

import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor } from '@rheo/tensor';
import { emaInit, emaUpdate, type EmaSchedule } from './ema';
import { disposeTree } from './tree-names';

// Float64 references written from the definitions, not from the schedule formulas in ema.ts.
function constantRef(theta0: number, thetas: number[], d: number): number[] {
  let a = theta0;
  return thetas.map((t) => (a = d * a + (1 - d) * t));
}

function warmupRef(theta0: number, thetas: number[], d: number): number[] {
  let a = theta0;
  return thetas.map((t, i) => {
    const dt = Math.min(d, (2 + i) / (11 + i));
    return (a = dt * a + (1 - dt) * t);
  });
}

// Adam-style: zero-started m, divided by 1 − d^t.
function biasCorrectedRef(thetas: number[], d: number): number[] {
  let m = 0;
  return thetas.map((t, i) => {
    m = d * m + (1 - d) * t;
    return m / (1 - d ** (i + 1));
  });
}

describe('parameter EMA', () => {
  const thetas = [[1, -2], [0.5, 3], [2, 2], [-1, 0.25], [4, -4], [0, 1]];
  const run = (schedule: EmaSchedule, d: number): number[][] => {
    let ema = emaInit({ w: tensor([0.2, 0.7]) });
    return thetas.map((t) => {
      const next = emaUpdate(ema, { w: tensor(t) }, d, { schedule });
      disposeTree(ema.average);
      ema = next;
      return Array.from(ema.average.w.dataSync());
    });
  };

  it.each([0.9, 0.5])('constant decay %s matches a float64 loop', (d) => {
    const got = run('constant', d);
    [0, 1].forEach((j) => constantRef([0.2, 0.7][j]!, thetas.map((t) => t[j]!), d).forEach((r, i) => expect(got[i]![j]).toBeCloseTo(r, 5)));
  });

  it('warmup decay min(d, (1 + t)/(10 + t)) matches a float64 loop', () => {
    const got = run('warmup', 0.999);
    [0, 1].forEach((j) => warmupRef([0.2, 0.7][j]!, thetas.map((t) => t[j]!), 0.999).forEach((r, i) => expect(got[i]![j]).toBeCloseTo(r, 5)));
  });

  it('bias-corrected decay equals the zero-started average divided by 1 − d^t', () => {
    const got = run('bias-corrected', 0.9);
    [0, 1].forEach((j) => biasCorrectedRef(thetas.map((t) => t[j]!), 0.9).forEach((r, i) => expect(got[i]![j]).toBeCloseTo(r, 5)));
    // After one update the initial value has weight 0.
    expect(got[0]).toEqual([1, -2]);
  });

  it('counts steps and rejects bad arguments', () => {
    const ema = emaUpdate(emaInit([tensor([1])]), [tensor([2])], 0.5);
    expect(ema.step).toBe(1);
    expect(() => emaUpdate(ema, [tensor([2])], 1)).toThrow(/emaUpdate\(decay\): expected a number in \[0, 1\), received 1/);
    expect(() => emaUpdate(ema, [tensor([2, 3])], 0.5)).toThrow(ArgumentError);
    expect(() => emaUpdate(ema, [tensor([2])], 0.5, { schedule: 'cosine' as 'warmup' })).toThrow(/schedule/);
  });
});

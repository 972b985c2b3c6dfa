import { key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { LINEAR_GAUSSIAN, linearGaussianSimulator } from './linear-gaussian.js';
import { posteriorMetrics } from './posterior-metrics.js';
import type { Rows } from './simulator.js';
import { twoMoonsSimulator } from './two-moons.js';

const shift = (r: Rows, by: number): Rows => ({ ...r, data: r.data.map((v, i) => (i % r.cols === 0 ? v + by : v)) });

describe('posterior metrics on exact reference samples', () => {
  for (const sim of [linearGaussianSimulator(LINEAR_GAUSSIAN), twoMoonsSimulator(600)]) {
    it(`${sim.name}: two independent reference sets sit at the noise floor, far below a shifted posterior and the prior`, () => {
      const x = sim.simulate(key(1), sim.prior(key(2), 1)).data;
      const a = sim.posterior(key(3), x, 1000);
      const b = sim.posterior(key(4), x, 1000);
      const same = posteriorMetrics(a, b);
      // The reference moved by a quarter of its sd in θ₀, and the prior: clearly different distributions.
      const sd = Math.sqrt(a.data.filter((_, i) => i % 2 === 0).reduce((s, v, _i, arr) => s + (v - arr.reduce((p, q) => p + q, 0) / arr.length) ** 2, 0) / a.rows);
      const shifted = posteriorMetrics(shift(a, 0.25 * sd), b);
      const prior = posteriorMetrics(sim.prior(key(5), 1000), b);
      for (const metric of ['energyDistance', 'mmd'] as const) {
        expect(Math.abs(same[metric]), `${metric}: same ${same[metric]}, shifted ${shifted[metric]}`).toBeLessThan(0.1 * shifted[metric]);
        expect(Math.abs(same[metric])).toBeLessThan(0.1 * prior[metric]);
      }
    });
  }
});

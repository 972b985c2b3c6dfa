import { normals, uniforms } from '@rheo/data';
import { fold, type Key } from '@rheo/tensor';
import { gridWeights, sampleGrid, type Grid2 } from './grid-posterior.js';
import type { Rows, Simulator } from './simulator.js';

/** Mean and sd of the radius r ~ N(0.1, 0.01²) of the two-moons simulator. */
const R_MEAN = 0.1;
const R_STD = 0.01;

/**
 * log p(x | θ) of two moons: with q = x − (−|θ₀ + θ₁|/√2, (−θ₀ + θ₁)/√2) −
 * (0.25, 0), the point q = r(cos a, sin a) needs a ∈ (−π/2, π/2), i.e.
 * q₀ > 0; the density of (r, a) is N(r; 0.1, 0.01²)·(1/π), and the polar
 * change of variables divides by r.
 */
export function twoMoonsLogLikelihood(x0: number, x1: number, t0: number, t1: number): number {
  const q0 = x0 + Math.abs(t0 + t1) / Math.SQRT2 - 0.25;
  const q1 = x1 - (-t0 + t1) / Math.SQRT2;
  if (q0 <= 0) return -Infinity;
  const r = Math.hypot(q0, q1);
  const z = (r - R_MEAN) / R_STD;
  return -0.5 * z * z - Math.log(R_STD * Math.sqrt(2 * Math.PI)) - Math.log(Math.PI) - Math.log(r);
}

/**
 * The two-moons task of simulation-based inference (Greenberg, Nonnenmacher
 * & Macke 2019, arXiv:1905.07488; sbibm, Lueckmann et al. 2021,
 * arXiv:2101.04653): θ ~ U(−1, 1)², a ~ U(−π/2, π/2), r ~ N(0.1, 0.01²),
 * x = (r cos a + 0.25, r sin a) + (−|θ₀ + θ₁|/√2, (−θ₀ + θ₁)/√2). Its
 * posterior is two crescents (the |θ₀ + θ₁| folds θ onto two moons). The
 * reference posterior is the likelihood times the flat prior on a fine grid
 * over the prior's support, sampled cell by cell.
 */
export function twoMoonsSimulator(cells = 1200): Simulator {
  const grid: Grid2 = { lo: [-1, -1], hi: [1, 1], cells };
  return {
    name: 'two-moons',
    thetaDim: 2,
    xDim: 2,
    reference: `likelihood × flat prior on a ${cells}×${cells} grid over [−1, 1]², cells drawn by their mass, uniform within a cell`,
    prior: (k: Key, n: number): Rows => ({ data: uniforms(k, 2 * n).map((u) => 2 * u - 1), rows: n, cols: 2 }),
    simulate: (k: Key, theta: Rows): Rows => {
      const n = theta.rows;
      const a = uniforms(fold(k, 1), n);
      const r = normals(fold(k, 2), n);
      const x = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const [t0, t1] = [theta.data[2 * i]!, theta.data[2 * i + 1]!];
        const angle = Math.PI * (a[i]! - 0.5);
        const radius = R_MEAN + R_STD * r[i]!;
        x[2 * i] = radius * Math.cos(angle) + 0.25 - Math.abs(t0 + t1) / Math.SQRT2;
        x[2 * i + 1] = radius * Math.sin(angle) + (-t0 + t1) / Math.SQRT2;
      }
      return { data: x, rows: n, cols: 2 };
    },
    posterior: (k: Key, x: Float64Array, n: number): Rows => {
      const w = gridWeights((t0, t1) => twoMoonsLogLikelihood(x[0]!, x[1]!, t0, t1), grid);
      return sampleGrid(w, grid, k, n);
    },
  };
}

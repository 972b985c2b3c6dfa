import { normals } from '@rheo/data';
import { fold, type Key } from '@rheo/tensor';
import type { Rows, Simulator } from './simulator.js';

/** Lower Cholesky factor of a symmetric positive-definite matrix (row-major d × d). */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = i === j ? Math.sqrt(s) : s / l[j * d + j]!;
    }
  }
  return l;
}

/** Inverse of a symmetric positive-definite matrix by Gauss–Jordan elimination. */
export function inverse(a: Float64Array, d: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    const p = m[c * d + c]!;
    for (let j = 0; j < d; j++) {
      m[c * d + j] = m[c * d + j]! / p;
      inv[c * d + j] = inv[c * d + j]! / p;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r * d + c]!;
      for (let j = 0; j < d; j++) {
        m[r * d + j] = m[r * d + j]! - f * m[c * d + j]!;
        inv[r * d + j] = inv[r * d + j]! - f * inv[c * d + j]!;
      }
    }
  }
  return inv;
}

/** The linear Gaussian model x = Aθ + σε, θ ~ N(0, τ²I), ε ~ N(0, I). */
export interface LinearGaussian {
  /** The forward matrix A, row-major xDim × thetaDim. */
  readonly a: readonly number[];
  readonly thetaDim: number;
  readonly xDim: number;
  /** Prior standard deviation τ. */
  readonly priorStd: number;
  /** Observation noise σ. */
  readonly noiseStd: number;
}

/** The default instance: θ ∈ R², x ∈ R³, correlated through A, prior sd 1, noise sd 0.5. */
export const LINEAR_GAUSSIAN: LinearGaussian = { a: [1, 0.5, -0.3, 0.8, 0.6, -0.4], thetaDim: 2, xDim: 3, priorStd: 1, noiseStd: 0.5 };

/**
 * The closed-form posterior of the linear Gaussian model (conjugacy, e.g.
 * Bishop 2006, PRML §2.3.3): Σ = (I/τ² + AᵀA/σ²)⁻¹, μ = Σ Aᵀx/σ².
 */
export function linearGaussianPosterior(m: LinearGaussian, x: ArrayLike<number>): { mean: Float64Array; cov: Float64Array } {
  const { thetaDim: p, xDim: q, priorStd: tau, noiseStd: sigma } = m;
  const precision = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = i === j ? 1 / (tau * tau) : 0;
      for (let k = 0; k < q; k++) s += (m.a[k * p + i]! * m.a[k * p + j]!) / (sigma * sigma);
      precision[i * p + j] = s;
    }
  }
  const cov = inverse(precision, p);
  const atx = Array.from({ length: p }, (_, i) => {
    let s = 0;
    for (let k = 0; k < q; k++) s += (m.a[k * p + i]! * x[k]!) / (sigma * sigma);
    return s;
  });
  const mean = Float64Array.from({ length: p }, (_, i) => atx.reduce((s, v, j) => s + cov[i * p + j]! * v, 0));
  return { mean, cov };
}

/** The linear Gaussian simulator; its reference posterior is exact (closed form, Cholesky draws). */
export function linearGaussianSimulator(m: LinearGaussian = LINEAR_GAUSSIAN): Simulator {
  const { thetaDim: p, xDim: q } = m;
  return {
    name: 'linear-gaussian',
    thetaDim: p,
    xDim: q,
    reference: 'closed form: N(μ, Σ), Σ = (I/τ² + AᵀA/σ²)⁻¹, μ = ΣAᵀx/σ²',
    prior: (k: Key, n: number): Rows => ({ data: normals(k, n * p).map((v) => v * m.priorStd), rows: n, cols: p }),
    simulate: (k: Key, theta: Rows): Rows => {
      const e = normals(k, theta.rows * q);
      const x = new Float64Array(theta.rows * q);
      for (let r = 0; r < theta.rows; r++) {
        for (let i = 0; i < q; i++) {
          let s = m.noiseStd * e[r * q + i]!;
          for (let j = 0; j < p; j++) s += m.a[i * p + j]! * theta.data[r * p + j]!;
          x[r * q + i] = s;
        }
      }
      return { data: x, rows: theta.rows, cols: q };
    },
    posterior: (k: Key, x: Float64Array, n: number): Rows => {
      const { mean, cov } = linearGaussianPosterior(m, x);
      const l = cholesky(cov, p);
      const z = normals(fold(k, 1), n * p);
      const out = new Float64Array(n * p);
      for (let r = 0; r < n; r++) {
        for (let i = 0; i < p; i++) {
          let s = mean[i]!;
          for (let j = 0; j <= i; j++) s += l[i * p + j]! * z[r * p + j]!;
          out[r * p + i] = s;
        }
      }
      return { data: out, rows: n, cols: p };
    },
  };
}

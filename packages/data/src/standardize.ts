import { ArgumentError, ShapeError } from '@rheo/tensor';
import type { Matrix } from './matrix.js';

/** Per-column mean and standard deviation (ddof 0), computed in float64. */
export interface StandardizationStats {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/**
 * Column means and population standard deviations (ddof 0, as NumPy's
 * default and MAF) of the rows of the given matrices taken together: pass the
 * training split (or train + val, as MAF does), never the test split. Two
 * passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
 */
export function standardizationStats(...parts: Matrix[]): StandardizationStats {
  if (parts.length === 0) throw new ArgumentError('standardizationStats(parts): expected at least one matrix, received none');
  const d = parts[0]!.cols;
  for (const p of parts) if (p.cols !== d) throw new ShapeError(`standardizationStats(parts): expected ${d} columns in every part, received ${p.cols}`);
  const n = parts.reduce((s, p) => s + p.rows, 0);
  if (n === 0) throw new ArgumentError('standardizationStats(parts): expected at least one row, received 0');
  const mean = new Float64Array(d);
  for (const p of parts) for (let i = 0; i < p.data.length; i++) mean[i % d] += p.data[i]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const ss = new Float64Array(d);
  for (const p of parts) {
    for (let i = 0; i < p.data.length; i++) {
      const e = p.data[i]! - mean[i % d]!;
      ss[i % d] += e * e;
    }
  }
  const std = ss.map((s) => Math.sqrt(s / n));
  const zero = std.findIndex((s) => !(s > 0));
  if (zero >= 0) throw new ArgumentError(`standardizationStats(parts): column ${zero + 1} (1-based) is constant (std 0); standardising it would divide by zero`);
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}

function check(m: Matrix, stats: StandardizationStats, fn: string): void {
  if (stats.mean.length !== m.cols || stats.std.length !== m.cols) {
    throw new ShapeError(`${fn}(stats): expected ${m.cols} means and stds for ${m.cols} columns, received ${stats.mean.length} and ${stats.std.length}`);
  }
}

/** (x − mean) / std per column, as a new Matrix. */
export function standardize(m: Matrix, stats: StandardizationStats): Matrix {
  check(m, stats, 'standardize');
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (m.data[i]! - stats.mean[i % m.cols]!) / stats.std[i % m.cols]!;
  return { data: out, rows: m.rows, cols: m.cols };
}

/** x·std + mean per column: the inverse of `standardize`, e.g. to map samples back to data units. */
export function unstandardize(m: Matrix, stats: StandardizationStats): Matrix {
  check(m, stats, 'unstandardize');
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < out.length; i++) out[i] = m.data[i]! * stats.std[i % m.cols]! + stats.mean[i % m.cols]!;
  return { data: out, rows: m.rows, cols: m.cols };
}

import { sliceRows, toTensor, type Matrix } from '@rheo/data';
import { fold, tidy, type Key } from '@rheo/tensor';
import type { BenchModel } from './models.js';
import type { Trained } from './train-model.js';

/** n samples on the host, drawn in chunks inside tidy(); ms is the wall time of drawing and reading them. */
export async function sampleHost(model: BenchModel, t: Trained, k: Key, n: number, chunk = 500): Promise<{ x: Float32Array; ms: number; dim: number }> {
  const parts: Float32Array[] = [];
  let dim = 0;
  const t0 = performance.now();
  for (let i = 0, c = 0; i < n; i += chunk, c++) {
    const s = tidy(() => model.sample(t.params, t.buffers, fold(k, c), Math.min(chunk, n - i)));
    dim = s.shape[1]!;
    parts.push((await s.data()) as Float32Array);
    s.dispose();
  }
  const ms = performance.now() - t0;
  const x = new Float32Array(n * dim);
  let o = 0;
  for (const p of parts) { x.set(p, o); o += p.length; }
  return { x, ms, dim };
}

/** log p(x_i) for every row of `data` (evaluation mode, chunked); undefined for models without a density. */
export async function logLikelihoods(model: BenchModel, t: Trained, data: Matrix, k: Key, chunk = 500): Promise<Float64Array | undefined> {
  if (!model.logProb) return undefined;
  const out = new Float64Array(data.rows);
  for (let i = 0; i < data.rows; i += chunk) {
    const lp = tidy(() => model.logProb!(t.params, t.buffers, toTensor(sliceRows(data, i, Math.min(data.rows, i + chunk))), fold(k, i), false));
    out.set((await lp.data()) as Float32Array, i);
    lp.dispose();
  }
  return out;
}

/** −(1/n) Σ log p(x_i) over the rows of `data`, accumulated in float64; NaN for models without a density. */
export async function meanNll(model: BenchModel, t: Trained, data: Matrix, k: Key, chunk = 500): Promise<number> {
  const ll = await logLikelihoods(model, t, data, k, chunk);
  if (ll === undefined) return Number.NaN;
  let total = 0;
  for (const v of ll) total -= v;
  return total / data.rows;
}

/** max |f⁻¹(f(x)) − x| over the rows of `data`; NaN for models without an inverse. */
export async function roundTripError(model: BenchModel, t: Trained, data: Matrix): Promise<number> {
  if (!model.roundTrip) return Number.NaN;
  const y = tidy(() => model.roundTrip!(t.params, t.buffers, toTensor(data)));
  const v = (await y.data()) as Float32Array;
  y.dispose();
  let worst = 0;
  for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i]! - data.data[i]!));
  return worst;
}

import type { Dataset, Matrix } from '@rheo/data';
import { logLikelihoodSummary } from '@rheo/eval';
import { ArgumentError } from '@rheo/tensor';

/** log σ(z) without overflow: −softplus(−z). */
function logSigmoid(z: number): number {
  return -Math.max(-z, 0) - Math.log1p(Math.exp(-Math.abs(z)));
}

/**
 * Per-row Σ_j log|∂y_j/∂x_j| of the preprocessing a data set applied after
 * dequantisation, from the preprocessed values y the model sees, so that
 * log p(x) = log p(y) + LD with x the dequantised pixels in [0, 1).
 * Walks the recorded transforms backwards from y:
 *  - standardise y = (z − m)/s: LD gains −Σ log s_j, and z = y·s + m;
 *  - logit z = logit(α + (1 − 2α)x): LD gains Σ [log(1 − 2α) − log σ(z) − log σ(−z)]
 *    (σ(z) = α + (1 − 2α)x), and x = (σ(z) − α)/(1 − 2α).
 * Returns undefined when the data were not dequantised (no discrete levels to
 * report bits/dim against).
 */
export function preprocessLogDet(d: Dataset, y: Matrix): { logDet: Float64Array; levels: number } | undefined {
  const deq = d.transforms.findIndex((t) => t.kind === 'dequantize');
  if (deq < 0) return undefined;
  const first = d.transforms[deq]!;
  if (first.kind !== 'dequantize') return undefined;
  if (y.cols !== d.dim) throw new ArgumentError(`preprocessLogDet(y): expected ${d.dim} columns, received ${y.cols}`);
  const logDet = new Float64Array(y.rows);
  const z = Float64Array.from(y.data);
  for (const t of d.transforms.slice(deq + 1).reverse()) {
    if (t.kind === 'standardize') {
      let row = 0;
      for (let j = 0; j < d.dim; j++) row -= Math.log(t.std[j]!);
      for (let i = 0; i < y.rows; i++) logDet[i] += row;
      for (let i = 0; i < z.length; i++) z[i] = z[i]! * t.std[i % d.dim]! + t.mean[i % d.dim]!;
    } else if (t.kind === 'logit') {
      const c = Math.log1p(-2 * t.alpha);
      for (let i = 0; i < z.length; i++) {
        const v = z[i]!;
        logDet[Math.floor(i / d.dim)] += c - logSigmoid(v) - logSigmoid(-v);
        z[i] = (1 / (1 + Math.exp(-v)) - t.alpha) / (1 - 2 * t.alpha);
      }
    } else {
      throw new ArgumentError(`preprocessLogDet(dataset ${d.name}): a '${t.kind}' step after dequantisation has no log-det here; expected logit or standardize`);
    }
  }
  return { logDet, levels: first.levels };
}

/**
 * Test bits/dim of dequantised data from the model's per-row log-likelihoods
 * of the preprocessed rows `y`, with the dequantisation (log L per dimension)
 * and preprocessing (logit, standardisation) corrections; undefined for data
 * that were not dequantised.
 */
export function testBitsPerDim(d: Dataset, y: Matrix, logLik: ArrayLike<number>): number | undefined {
  const pre = preprocessLogDet(d, y);
  if (pre === undefined) return undefined;
  return logLikelihoodSummary(logLik, { dims: d.dim, levels: pre.levels, preprocessLogDet: pre.logDet }).bitsPerDim!;
}

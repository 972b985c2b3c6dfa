import { crossEntropy } from '@rheo/objectives';
import type { StateTree } from '@rheo/nn';
import { fold, tensor, tidy, type Key, type Tensor } from '@rheo/tensor';
import { testBitsPerDim } from '../preprocess-log-det.js';
import type { LabelledSplit } from './labelled-images.js';
import type { HybridModel, HybridParams } from './hybrid-model.js';

/** Test accuracy, test cross-entropy (nats) and test bits/dim of a trained hybrid model. */
export interface HybridScores {
  readonly accuracy: number;
  readonly crossEntropy: number;
  readonly bitsPerDim: number;
  /** Test rows the bits/dim were computed on. */
  readonly nllRows: number;
  /** Whether the log-likelihood was the unbiased estimate rather than exact. */
  readonly estimated: boolean;
}

async function read(t: Tensor): Promise<Float32Array> {
  const v = await t.data();
  t.dispose();
  return v as Float32Array;
}

/**
 * Accuracy and cross-entropy of the classifier on every test row (in chunks
 * of 500); bits/dim of the discrete pixels from the flow's test
 * log-likelihood on the first `nllRows` test rows, corrected for
 * dequantisation and the logit (`testBitsPerDim`). The log-likelihood is
 * exact, unless `estimateKey` is given: then the flow's training estimator
 * is used (for residual flows the unbiased Russian-roulette series, as Chen
 * et al. 2019 evaluate theirs), whose mean over the rows is unbiased.
 */
export async function evaluateHybrid(
  h: HybridModel, p: HybridParams, buffers: StateTree, split: LabelledSplit, nllRows: number, estimateKey?: Key,
): Promise<HybridScores> {
  const test = split.data.test;
  const d = test.cols;
  let correct = 0;
  let ce = 0;
  for (let start = 0; start < test.rows; start += 500) {
    const end = Math.min(test.rows, start + 500);
    const labels = split.testLabels.subarray(start, end);
    const x = tensor(test.data.subarray(start * d, end * d), [end - start, d]);
    const logits = await read(tidy(() => h.logits(p, h.latent(p, buffers, x))));
    ce += (await read(tidy(() => crossEntropy(tensor(logits, [end - start, h.classes]), labels))))[0]! * (end - start);
    x.dispose();
    for (let i = 0; i < end - start; i++) {
      let best = 0;
      for (let c = 1; c < h.classes; c++) if (logits[i * h.classes + c]! > logits[i * h.classes + best]!) best = c;
      if (best === labels[i]) correct++;
    }
  }
  const n = Math.min(nllRows, test.rows);
  const ll = new Float64Array(n);
  // An exact residual log-det holds a d × d Jacobian and d vector–Jacobian products per row: chunks shrink as d² grows.
  const chunk = Math.max(4, Math.min(128, Math.floor(128 * (64 / d) ** 2)));
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const x = tensor(test.data.subarray(start * d, end * d), [end - start, d]);
    const o = estimateKey === undefined ? {} : { key: fold(estimateKey, start), training: true };
    ll.set(await read(tidy(() => h.flow.logProb(x, { params: p.flow, buffers, ...o }))), start);
    x.dispose();
  }
  const rows = { data: test.data.subarray(0, n * d), rows: n, cols: d };
  return { accuracy: correct / test.rows, crossEntropy: ce / test.rows, bitsPerDim: testBitsPerDim(split.data, rows, ll)!, nllRows: n, estimated: estimateKey !== undefined };
}

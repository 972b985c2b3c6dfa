import { add, ArgumentError, logSoftmax, mean, mul, neg, ShapeError, sum, tensor, type Tensor } from '@rheo/tensor';
import { checkTensor } from './check.js';
import { nllLoss } from './nll.js';

/** Integer class labels 0 … K−1, one per row, as a one-hot float32 tensor [n, K]. */
function oneHot(labels: ArrayLike<number>, n: number, classes: number, who: string): Tensor {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new ArgumentError(`${who}(labels): received ${String(labels)}; expected ${n} integer labels in 0..${classes - 1}`);
  }
  if (labels.length !== n) throw new ShapeError(`${who}(labels): received ${labels.length} labels; expected ${n}, one per row of the logits`);
  const h = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new ArgumentError(`${who}(labels[${i}]): received ${String(y)}; expected an integer in 0..${classes - 1}`);
    h[i * classes + y] = 1;
  }
  return tensor(h, [n, classes]);
}

/**
 * Mean cross-entropy −(1/n) Σ_i log softmax(logits_i)_{y_i} of integer
 * labels y under the classifier's logits [n, K]: the negative conditional
 * log-likelihood −log p(y | x) of a softmax classifier, in nats.
 */
export function crossEntropy(logits: Tensor, labels: ArrayLike<number>): Tensor {
  checkTensor(logits, 2, 'crossEntropy(logits)', '[n, K]');
  const [n, k] = logits.shape as [number, number];
  return neg(mean(sum(mul(logSoftmax(logits, -1), oneHot(labels, n, k, 'crossEntropy')), 1)));
}

/** Options of `hybridLoss`. */
export interface HybridLossOptions {
  /**
   * Weight λ ≥ 0 of the generative term. 0 trains a discriminative model
   * through an invertible feature map; 1/D (D the data dimensions) keeps
   * log p(x), which grows with D, from drowning log p(y | x) (Nalisnick et
   * al. 2019); 1 is the joint log-likelihood log p(x, y).
   */
  readonly lambda: number;
}

/**
 * The hybrid generative–discriminative loss of a flow whose latent z = f(x)
 * feeds a classifier (Nalisnick, Matsukawa, Teh, Gorur & Lakshminarayanan
 * 2019, "Hybrid Models with Deep and Invertible Features", arXiv:1902.02767;
 * with residual blocks, Chen, Behrmann, Duvenaud & Jacobsen 2019, "Residual
 * Flows for Invertible Generative Modeling", arXiv:1906.02735, §5.3):
 * −(1/n) Σ_i [λ·log p(x_i) + log p(y_i | x_i)], with log p(x) the flow's
 * per-row log-density [n] and p(y | x) = softmax(logits)[y].
 */
export function hybridLoss(logProb: Tensor, logits: Tensor, labels: ArrayLike<number>, options: HybridLossOptions): Tensor {
  const lambda = options?.lambda;
  if (typeof lambda !== 'number' || !(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new ArgumentError(`hybridLoss(options.lambda): received ${String(lambda)}; expected a finite number ≥ 0`);
  }
  checkTensor(logProb, 1, 'hybridLoss(logProb)', '[n]');
  checkTensor(logits, 2, 'hybridLoss(logits)', '[n, K]');
  if (logits.shape[0] !== logProb.shape[0]) {
    throw new ShapeError(`hybridLoss(logits): received ${logits.shape[0]} rows; expected ${logProb.shape[0]}, one per row of logProb`);
  }
  const ce = crossEntropy(logits, labels);
  return lambda === 0 ? ce : add(mul(nllLoss(logProb), lambda), ce);
}

import { forward, type Buffers } from '@rheo/flows';
import type { FlowModel } from '@rheo/models';
import { disposeTree, type StateTree } from '@rheo/nn';
import { hybridLoss } from '@rheo/objectives';
import { fit } from '@rheo/train';
import { add, fold, matmul, sliceAxis, tensor, zeros, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import { uniforms, type Matrix } from '@rheo/data';
import { progress } from '../progress.js';

/** The parameters of a hybrid model: the flow's and a linear classifier's on the first `latentDims` latent coordinates. */
export interface HybridParams {
  readonly flow: TensorTree;
  readonly classifier: { readonly w: Tensor; readonly b: Tensor };
  readonly [k: string]: TensorTree;
}

/** A labelled minibatch. */
interface LabelledBatch {
  readonly x: Tensor;
  readonly labels: Int32Array;
}

/** A flow with a linear softmax classifier on part of its latent z = f(x) (Nalisnick et al. 2019, arXiv:1902.02767). */
export interface HybridModel {
  readonly flow: FlowModel;
  readonly classes: number;
  readonly latentDims: number;
  /** logits = z[:, :latentDims] Wᵀ + b, [n, classes]. */
  logits(p: HybridParams, z: Tensor): Tensor;
  /** z = f(x) without a log-determinant (what classification needs). */
  latent(p: HybridParams, buffers: StateTree, x: Tensor): Tensor;
}

/** A hybrid model from a flow preset's model: `classes` logits from the first `latentDims` latent coordinates. */
export function hybridModel(flow: FlowModel, classes: number, latentDims: number): HybridModel {
  return {
    flow,
    classes,
    latentDims,
    logits: (p, z) => add(matmul(sliceAxis(z, 1, 0, latentDims), p.classifier.w, { transposeB: true }), p.classifier.b),
    latent: (p, b, x) => forward(flow.flow.transform, p.flow as TensorTree[], b as Buffers[], x),
  };
}

/** Initial parameters: the flow's, and a zero classifier (the softmax regression's loss is convex in it). */
export function hybridInit(h: HybridModel): HybridParams {
  return { flow: h.flow.params, classifier: { w: zeros([h.classes, h.latentDims]), b: zeros([h.classes]) } };
}

/** What training returned. */
export interface TrainedHybrid {
  readonly params: HybridParams;
  readonly buffers: StateTree;
  readonly stepMs: number;
  readonly seconds: number;
  /** Mean training loss over the last (up to) 20 steps. */
  readonly recentLoss: number;
}

/**
 * Trains flow and classifier jointly on −mean[λ·log p(x) + log p(y | x)]
 * (`hybridLoss`). With λ = 0 the log-determinant is never computed (the flow
 * is then only a feature map); otherwise the flow's training log-density is
 * used (for residual flows the Russian-roulette estimate, Chen et al. 2019).
 */
export async function trainHybrid(
  h: HybridModel, data: Matrix, labels: Int32Array, lambda: number, k: Key, o: { steps: number; batch: number; lr: number; label: string },
): Promise<TrainedHybrid> {
  const f = h.flow.flow;
  const spec = h.flow.fitSpec;
  const batch = (step: number): LabelledBatch => {
    const u = uniforms(fold(k, step), o.batch);
    const x = new Float32Array(o.batch * data.cols);
    const y = new Int32Array(o.batch);
    u.forEach((v, r) => {
      const i = Math.min(data.rows - 1, Math.floor(v * data.rows));
      x.set(data.data.subarray(i * data.cols, (i + 1) * data.cols), r * data.cols);
      y[r] = labels[i]!;
    });
    return { x: tensor(x, [o.batch, data.cols]), labels: y };
  };
  const recent: number[] = [];
  const parts = (p: HybridParams, b: StateTree, x: Tensor, key: Key) => {
    if (lambda === 0) return { z: h.latent(p, b, x), logProb: zeros([x.shape[0]!]) };
    const r = f.transform.forwardAndLogDet(p.flow as TensorTree[], b as Buffers[], x, { key, training: true });
    return { z: r.out, logProb: add(f.base.logProb(r.out), r.logDet) };
  };
  const bar = progress(o.label, o.steps);
  const times: number[] = [];
  const t0 = performance.now();
  const result = await fit<HybridParams, StateTree, LabelledBatch>({
    params: hybridInit(h),
    buffers: spec.buffers,
    ...(spec.updateBuffers ? { updateBuffers: (p: HybridParams, b: StateTree) => spec.updateBuffers!(p.flow, b) } : {}),
    loss: (p, bt, { key, buffers }) => {
      const { z, logProb } = parts(p, buffers, bt.x, key);
      return hybridLoss(logProb, h.logits(p, z), bt.labels, { lambda });
    },
    batch,
    steps: o.steps,
    key: fold(k, 0x7fffffff),
    optimizer: { lr: { lr: o.lr, decay: 'cosine', finalFraction: 0.02 }, clipNorm: 10 },
    onStep: (info) => {
      times.push(info.ms);
      recent.push(info.loss);
      if (recent.length > 20) recent.shift();
      bar.update(info.step, `loss ${info.loss.toFixed(3)}`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  bar.finish(`${seconds.toFixed(0)} s`);
  disposeTree(result.adam as StateTree);
  times.sort((a, b) => a - b);
  return {
    params: result.params, buffers: result.buffers, stepMs: times[times.length >> 1] ?? Number.NaN, seconds,
    recentLoss: recent.reduce((a, v) => a + v, 0) / Math.max(1, recent.length),
  };
}

import { uniforms } from '@rheo/data';
import type { Model } from '@rheo/models';
import { disposeTree, type StateTree } from '@rheo/nn';
import { fit } from '@rheo/train';
import { fold, tensor, type Key, type Tensor } from '@rheo/tensor';
import { progress } from '../progress.js';
import type { Rows } from './simulator.js';

/** Per-column mean and sd of a table, for standardising θ and x. */
export interface ColumnStats {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/** Mean and sd (n − 1 denominator) of each column. */
export function columnStats(r: Rows): ColumnStats {
  const mean = new Float64Array(r.cols);
  const std = new Float64Array(r.cols);
  for (let i = 0; i < r.rows; i++) for (let j = 0; j < r.cols; j++) mean[j] += r.data[i * r.cols + j]! / r.rows;
  for (let i = 0; i < r.rows; i++) for (let j = 0; j < r.cols; j++) std[j] += (r.data[i * r.cols + j]! - mean[j]!) ** 2 / (r.rows - 1);
  for (let j = 0; j < r.cols; j++) std[j] = Math.sqrt(std[j]!);
  return { mean, std };
}

/** (v − mean)/sd per column, as float32. */
export function standardizeRows(r: Rows, s: ColumnStats): Float32Array {
  return Float32Array.from(r.data, (v, i) => (v - s.mean[i % r.cols]!) / s.std[i % r.cols]!);
}

/** v·sd + mean per column: back to the simulator's units. */
export function unstandardizeRows(v: ArrayLike<number>, cols: number, s: ColumnStats): Rows {
  const data = Float64Array.from(v, (u, i) => u * s.std[i % cols]! + s.mean[i % cols]!);
  return { data, rows: data.length / cols, cols };
}

/** What training returned: the trained model and the median step time. */
export interface TrainedConditional {
  readonly model: Model;
  readonly stepMs: number;
  readonly seconds: number;
}

/**
 * Trains a conditional model of θ given x on the standardised simulation
 * pairs with its own loss (`fitSpec`: NLL for a flow, the expected energy
 * score for a sampler): minibatches of rows drawn with replacement from the
 * step's key, Adam with a cosine decay to 2%, gradient norm clipped at 10.
 */
export async function trainConditional(
  model: Model, theta: Float32Array, x: Float32Array, dims: { theta: number; x: number }, k: Key,
  o: { steps: number; batch: number; lr: number; label: string },
): Promise<TrainedConditional> {
  const n = theta.length / dims.theta;
  const batch = (step: number): { x: Tensor; context: Tensor } => {
    const u = uniforms(fold(k, step), o.batch);
    const t = new Float32Array(o.batch * dims.theta);
    const c = new Float32Array(o.batch * dims.x);
    u.forEach((v, r) => {
      const i = Math.min(n - 1, Math.floor(v * n));
      t.set(theta.subarray(i * dims.theta, (i + 1) * dims.theta), r * dims.theta);
      c.set(x.subarray(i * dims.x, (i + 1) * dims.x), r * dims.x);
    });
    return { x: tensor(t, [o.batch, dims.theta]), context: tensor(c, [o.batch, dims.x]) };
  };
  const bar = progress(o.label, o.steps);
  const times: number[] = [];
  const t0 = performance.now();
  const r = await fit({
    ...model.fitSpec,
    batch: (step) => batch(step),
    steps: o.steps,
    key: fold(k, 0x7fffffff),
    optimizer: { lr: { lr: o.lr, decay: 'cosine', finalFraction: 0.02 }, clipNorm: 10 },
    onStep: (info) => {
      times.push(info.ms);
      bar.update(info.step, `loss ${info.loss.toFixed(3)}`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  bar.finish(`${seconds.toFixed(0)} s`);
  disposeTree(r.adam as StateTree);
  times.sort((a, b) => a - b);
  return { model: model.withParams(r.params, r.buffers), stepMs: times[times.length >> 1] ?? Number.NaN, seconds };
}

import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '@rheo/tensor';

/**
 * The benchmark's RealNVP (affine couplings, Dinh et al. 2017,
 * arXiv:1605.08803) written a second time with TensorFlow.js, layer for layer
 * as `couplingFlow` builds it: same masks, conditioner widths, ReLU, zero
 * final layer, soft-clamped log-scale s = 3·tanh(raw/3), standard normal base.
 */
export interface TfjsCouplingFlow {
  readonly variables: tf.Variable[];
  /** log p(x) per row, [n]. */
  logProb(x: tf.Tensor2D): tf.Tensor1D;
  dispose(): void;
}

/** One dense layer in rheo's layout: w is out×in row-major, b has `out` entries. */
export interface DenseInit {
  readonly w: Float32Array;
  readonly b: Float32Array;
}

function passMask(d: number, layer: number): boolean[] {
  const alternating = d > 2 && layer % 4 >= 2;
  const m = Array.from({ length: d }, (_, i) => (alternating ? i % 2 === 0 : i < Math.floor(d / 2)));
  return layer % 2 === 1 ? m.map((v) => !v) : m;
}

/**
 * `init` (one array of dense layers per coupling, in rheo's layout) starts the
 * peer from the same weights as a rheo model; without it the weights are drawn
 * with TensorFlow.js's own generator from `seed`.
 */
export function tfjsCouplingFlow(d: number, layers: number, hidden: readonly number[], seed: number, init?: ReadonlyArray<ReadonlyArray<DenseInit>>): TfjsCouplingFlow {
  const variables: tf.Variable[] = [];
  const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
  const blocks = Array.from({ length: layers }, (_, l) => {
    const m = passMask(d, l);
    const a = m.flatMap((v, i) => (v ? [i] : []));
    const b = m.flatMap((v, i) => (v ? [] : [i]));
    const back = new Array<number>(d);
    [...a, ...b].forEach((src, i) => (back[src] = i));
    const widths = [a.length, ...hidden, 2 * b.length];
    const net = widths.slice(1).map((out, i) => {
      const fanIn = widths[i]!;
      const last = i === widths.length - 2;
      // Glorot uniform as @rheo/nn's default; the output layer starts at zero so a fresh layer is the identity.
      const limit = Math.sqrt(6 / (fanIn + out));
      const given = init?.[l]?.[i];
      if (init !== undefined && (given === undefined || given.w.length !== fanIn * out || given.b.length !== out)) {
        throw new ArgumentError(`tfjsCouplingFlow(init): coupling ${l}, layer ${i}: expected a ${out}×${fanIn} weight and ${out} biases, received ${given ? `${given.w.length} and ${given.b.length} values` : 'nothing'}`);
      }
      let w: tf.Variable;
      if (given !== undefined) {
        // rheo stores W as out×in (y = W x); tfjs multiplies x·W with W in×out.
        const t = new Float32Array(fanIn * out);
        for (let o = 0; o < out; o++) for (let j = 0; j < fanIn; j++) t[j * out + o] = given.w[o * fanIn + j]!;
        w = tf.variable(tf.tensor2d(t, [fanIn, out]));
      } else {
        w = tf.variable(last ? tf.zeros([fanIn, out]) : tf.randomUniform([fanIn, out], -limit, limit, 'float32', seed + 31 * l + i));
      }
      const bias = tf.variable(given !== undefined ? tf.tensor1d(given.b) : tf.zeros([out]));
      variables.push(w, bias);
      return { w, bias };
    });
    return { a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32'), back: tf.tensor1d(back, 'int32'), nb: b.length, net };
  });
  return {
    variables,
    logProb: (x) => tf.tidy(() => {
      let h: tf.Tensor2D = x;
      let logDet: tf.Tensor1D = tf.zeros([x.shape[0]]);
      for (const blk of blocks) {
        const xa = tf.gather(h, blk.a, 1);
        const xb = tf.gather(h, blk.b, 1);
        let u: tf.Tensor2D = xa;
        blk.net.forEach((layer, i) => {
          u = tf.add(tf.matMul(u, layer.w), layer.bias);
          if (i < blk.net.length - 1) u = tf.relu(u);
        });
        const s = tf.mul(tf.tanh(tf.div(tf.slice(u, [0, 0], [-1, blk.nb]), 3)), 3) as tf.Tensor2D;
        const t = tf.slice(u, [0, blk.nb], [-1, blk.nb]);
        const zb = tf.add(tf.mul(xb, tf.exp(s)), t);
        h = tf.gather(tf.concat([xa, zb], 1), blk.back, 1) as tf.Tensor2D;
        logDet = tf.add(logDet, tf.sum(s, 1));
      }
      return tf.add(tf.sub(tf.mul(tf.sum(tf.square(h), 1), -0.5), d * HALF_LOG_2PI), logDet) as tf.Tensor1D;
    }),
    dispose: () => {
      for (const v of variables) v.dispose();
      for (const blk of blocks) { blk.a.dispose(); blk.b.dispose(); blk.back.dispose(); }
    },
  };
}

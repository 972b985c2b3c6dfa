import * as tf from '@tensorflow/tfjs';
import { matmulBias, mean, mul, scalar, square, sub, tanh, tensor, tidy, valueAndGrad, type Tensor } from '@rheo/tensor';
import { values } from './timing.js';

/**
 * The benchmark's training step, one definition for every peer comparison:
 * an MLP 8 → 128 → 128 → 8 with tanh, MSE loss and a plain SGD update at
 * lr 0.01, batch 256, on fixed inputs and weights (W scaled by 1/√fan-in,
 * zero biases). Each step ends by reading the loss and the first updated
 * weight, so queued GPU work is counted on either library.
 */
export const MLP_STEP_NAME = 'MLP train step (b=256, 8-128-128-8)';
const BATCH = 256, DIMS = [8, 128, 128, 8], LR = 0.01;

function layers(): { w: Float32Array; fanIn: number; out: number }[] {
  return DIMS.slice(1).map((out, l) => ({ w: values(DIMS[l]! * out, 10 + l, 1 / Math.sqrt(DIMS[l]!)), fanIn: DIMS[l]!, out }));
}

export interface MlpStep {
  /** One SGD step; resolves to the loss before the update. */
  step(): Promise<number>;
  dispose(): void;
}

/** The step on rheo's active backend. */
export function rheoMlpStep(): MlpStep {
  let params = layers().flatMap((l) => [tensor(l.w, [l.fanIn, l.out]), tensor(new Float32Array(l.out), [l.out])]);
  const x = tensor(values(BATCH * 8, 3), [BATCH, 8]), y = tensor(values(BATCH * 8, 4), [BATCH, 8]), lr = scalar(LR);
  const loss = (p: Tensor[]) => {
    let h = x;
    for (let l = 0; l < 3; l++) {
      h = matmulBias(h, p[2 * l]!, p[2 * l + 1]!);
      if (l < 2) h = tanh(h);
    }
    return mean(square(sub(h, y)));
  };
  const valueGrad = valueAndGrad(loss);
  return {
    step: async () => {
      const [v, next] = tidy(() => {
        const [value, g] = valueGrad(params);
        return [value, params.map((p, i) => sub(p, mul(g[i]!, lr)))] as const;
      });
      const value = (await v.data())[0]!;
      await next[0]!.data();
      v.dispose();
      params.forEach((p) => p.dispose());
      params = [...next];
      return value;
    },
    dispose: () => [...params, x, y, lr].forEach((t) => t.dispose()),
  };
}

/** The same step in TensorFlow.js, on its active backend. */
export function tfjsMlpStep(): MlpStep {
  const vars = layers().flatMap((l) => [tf.variable(tf.tensor2d(l.w, [l.fanIn, l.out])), tf.variable(tf.zeros([l.out]))]);
  const x = tf.tensor2d(values(BATCH * 8, 3), [BATCH, 8]), y = tf.tensor2d(values(BATCH * 8, 4), [BATCH, 8]);
  return {
    step: async () => {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          let h: tf.Tensor = x;
          for (let l = 0; l < 3; l++) {
            h = tf.add(tf.matMul(h, vars[2 * l]!), vars[2 * l + 1]!);
            if (l < 2) h = tf.tanh(h);
          }
          return tf.mean(tf.square(tf.sub(h, y))) as tf.Scalar;
        }, vars);
        for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, LR)));
        return value;
      });
      const value = (await loss.data())[0]!;
      loss.dispose();
      await vars[0]!.data();
      return value;
    },
    dispose: () => [...vars, x, y].forEach((t) => t.dispose()),
  };
}

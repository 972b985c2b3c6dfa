import { outputArray, recycle } from '../backends/cpu/buffer-pool.js';
import { simdCos } from '../backends/cpu/wasm-cos.js';
import { type TensorLike, asTensor } from '../creation.js';
import type { Primitive } from '../primitive.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sin } from './sin.js';

/** Below this many elements the plain loop is as fast. */
const MIN_SIMD_COS = 16;

const plainCos = unaryPrimitive({
  name: 'cos',
  fn: (a) => Math.cos(a),
  wgsl: 'rheo_cos(a)',
  grad: (g, [x]) => [neg(mul(g, sin(x!)))],
});

/**
 * Cosine; d/dx = -sin x. On the CPU, pooled float32 storage takes a SIMD
 * kernel with the plain kernel's bits (backends/cpu/wasm-cos.ts).
 */
export const cosPrimitive: Primitive = {
  ...plainCos,
  cpu(inputs, attrs, out) {
    const x = inputs[0]!;
    if (out.dtype === 'float32' && x.values.length >= MIN_SIMD_COS) {
      const o = outputArray('float32', x.values.length, x.values);
      if (simdCos(x.values, o)) return o;
      recycle(o);
    }
    return plainCos.cpu!(inputs, attrs, out);
  },
};

/** Elementwise cos x. */
export function cos(x: TensorLike): Tensor {
  return run(cosPrimitive, [asTensor(x)], {});
}

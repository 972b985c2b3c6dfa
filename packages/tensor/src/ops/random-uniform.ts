import { outputArray } from '../backends/cpu/buffer-pool.js';
import { simdThreefry } from '../backends/cpu/wasm-threefry.js';
import { run } from '../engine.js';
import { keyHooks } from '../jit/hooks.js';
import type { Key } from '../random/key.js';
import type { Primitive } from '../primitive.js';
import { checkShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { threefry2x32 } from '../random/threefry.js';
import { randomUniformWgsl } from '../random/threefry-wgsl.js';

export interface RandomUniformAttrs {
  readonly k0: number;
  readonly k1: number;
  readonly shape: readonly number[];
}

/**
 * Uniform floats in [0, 1) from a key's stream: element i is
 * (word_i >>> 8) · 2^-24, word_i as in threefryStream. Every backend computes
 * the same words, so the same key gives the same numbers everywhere.
 */
export const randomUniformPrimitive: Primitive<RandomUniformAttrs> = {
  name: 'randomUniform',
  infer: (_inputs, { shape }) => ({ shape, dtype: 'float32' }),
  cpu(_inputs, { k0, k1 }, out) {
    const n = sizeOf(out.shape);
    const o = outputArray('float32', n) as Float32Array;
    // Eight counters per step in WebAssembly SIMD (the same words); JavaScript where it is missing.
    if (simdThreefry(k0, k1, o, n)) return o;
    const pair = new Uint32Array(2);
    for (let j = 0; 2 * j < n; j++) {
      threefry2x32(k0, k1, j, 0, pair, 0);
      o[2 * j] = (pair[0]! >>> 8) * 5.960464477539063e-8;
      if (2 * j + 1 < n) o[2 * j + 1] = (pair[1]! >>> 8) * 5.960464477539063e-8;
    }
    return o;
  },
  wgsl: (_inputs, { k0, k1 }, out) => randomUniformWgsl(k0, k1, out),
};

/** @internal samplers call this with a checked key. */
export function randomUniform(k: Key, shape: readonly number[]): Tensor {
  const s = checkShape([...shape], 'shape');
  const attrs: RandomUniformAttrs = { k0: k.w0, k1: k.w1, shape: s };
  // Under jit, a replay draws from the key derived from its own key argument.
  if (k.origin !== null) keyHooks.keyedAttrs?.(attrs, k, (d: Key): RandomUniformAttrs => ({ k0: d.w0, k1: d.w1, shape: s }));
  return run(randomUniformPrimitive, [], attrs);
}

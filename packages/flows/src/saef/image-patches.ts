import { ArgumentError, gather, tensor, type Key, type Tensor } from '@rheo/tensor';
import { compose } from '../compose.js';
import { permute } from '../permutation.js';
import type { Transform } from '../transform.js';
import { semiAutoregressiveFlow, type SemiAutoregressiveFlowOptions } from './semi-autoregressive-flow.js';
import {
  semiAutoregressiveGenerator, type SemiAutoregressiveGenerator, type SemiAutoregressiveGeneratorOptions,
  type SemiAutoregressiveGeneratorParams,
} from './semi-autoregressive-generator.js';

/**
 * Image blocks for semi-autoregressive flows: the flattened [c, h, w] image
 * reordered so that each ph×pw patch (all channels) is one consecutive block,
 * patches in raster order. perm[i] is the image index of position i in patch
 * order; a block-autoregressive model over that order generates one patch per
 * pass, (h/ph)·(w/pw) passes per image.
 */
export function patchOrder(shape: readonly [number, number, number], patch: readonly [number, number]): number[] {
  const [c, h, w] = shape;
  const [ph, pw] = patch;
  for (const [name, v] of [['c', c], ['h', h], ['w', w], ['ph', ph], ['pw', pw]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`patchOrder(${name}): received ${v}; expected a positive integer`);
  }
  if (h % ph !== 0 || w % pw !== 0) {
    throw new ArgumentError(`patchOrder(patch): a ${ph}x${pw} patch does not tile a ${h}x${w} image; expected divisors of the height and width`);
  }
  const perm: number[] = [];
  for (let pi = 0; pi < h / ph; pi++) {
    for (let pj = 0; pj < w / pw; pj++) {
      for (let ch = 0; ch < c; ch++) {
        for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) perm.push(ch * h * w + (pi * ph + y) * w + pj * pw + x);
      }
    }
  }
  return perm;
}

/** The invertible semi-autoregressive flow over image patches, on flat [n, c·h·w] data (image order in, image order out of the inverse). */
export function imagePatchFlow(
  k: Key, shape: readonly [number, number, number], patch: readonly [number, number],
  options: Omit<SemiAutoregressiveFlowOptions, 'blockSize'> = {},
): Transform {
  const order = patchOrder(shape, patch);
  const blockSize = shape[0] * patch[0] * patch[1];
  return compose([permute(order), semiAutoregressiveFlow(k, order.length, { ...options, blockSize })]);
}

/**
 * The semi-autoregressive generator over image patches: generated in patch
 * order, returned by `generate` and `sample` in image order [n, c·h·w]. The
 * noise ε and the single-pass `step` stay in patch order.
 */
export function imagePatchGenerator(
  k: Key, shape: readonly [number, number, number], patch: readonly [number, number],
  options: Omit<SemiAutoregressiveGeneratorOptions, 'blockSize'> = {},
): SemiAutoregressiveGenerator {
  const order = patchOrder(shape, patch);
  const inverse = new Array<number>(order.length);
  order.forEach((p, i) => (inverse[p] = i));
  const gen = semiAutoregressiveGenerator(k, order.length, { ...options, blockSize: shape[0] * patch[0] * patch[1] });
  const toImage = (x: Tensor) => gather(x, tensor(Int32Array.from(inverse), [inverse.length]), 1);
  return {
    ...gen,
    generate: (p: SemiAutoregressiveGeneratorParams, noise: Tensor) => toImage(gen.generate(p, noise)),
    sample: (p, key, n, o) => toImage(gen.sample(p, key, n, o)),
  };
}

import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';

/** Largest integer not above x; derivative zero almost everywhere. */
export const floorPrimitive = unaryPrimitive({
  name: 'floor',
  fn: (a) => Math.floor(a),
  wgsl: 'floor(a)',
  grad: () => [null],
});

/** Elementwise ⌊x⌋; its gradient is 0. */
export function floor(x: TensorLike): Tensor {
  return run(floorPrimitive, [asTensor(x)], {});
}

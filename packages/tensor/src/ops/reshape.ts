import { run } from '../engine.js';
import { ShapeError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { checkShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';

export interface ReshapeAttrs {
  readonly shape: readonly number[];
}

/** A new shape over the same row-major data; shares storage, runs no kernel. */
export const reshapePrimitive: Primitive<ReshapeAttrs> = {
  name: 'reshape',
  alias: true,
  infer([x], { shape }) {
    if (sizeOf(shape) !== sizeOf(x!.shape)) {
      throw new ShapeError(`reshape(x, shape): x has shape ${show(x!.shape)} (${sizeOf(x!.shape)} elements); shape ${show(shape)} holds ${sizeOf(shape)}`);
    }
    return { shape, dtype: x!.dtype };
  },
  cpu: ([x]) => x!.values,
  grad: (g, [x]) => [reshape(g, x!.shape)],
};

/** Reshape; one entry of `shape` may be -1 and is inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const infer = shape.indexOf(-1);
  let target = [...shape];
  if (infer >= 0) {
    const rest = target.filter((_, i) => i !== infer);
    const known = sizeOf(checkShape(rest, 'reshape(shape)'));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape(x, shape): cannot infer -1 in ${show(shape)} for ${x.size} elements (shape ${show(x.shape)})`);
    }
    target[infer] = x.size / known;
  }
  target = checkShape(target, 'reshape(shape)');
  if (target.length === x.rank && target.every((d, i) => d === x.shape[i])) return x;
  return run(reshapePrimitive, [x], { shape: target });
}

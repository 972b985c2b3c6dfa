import { add, fold, zeros, type Tensor, type TensorTree } from '@rheo/tensor';
import type { AnyTransform, Buffers, Transform, TransformOptions, TransformResult } from './transform.js';

type Params = TensorTree[];
type BufferList = Buffers[];

// Each transform gets its own key, folded from the caller's by position.
function at(options: TransformOptions | undefined, i: number): TransformOptions | undefined {
  return options?.key === undefined ? options : { ...options, key: fold(options.key, i) };
}

/**
 * Transforms applied in order t0, t1, … in the forward (data → noise)
 * direction and in reverse order for the inverse; log-dets add up. The result
 * is itself a transform, so compositions nest (multiscale architectures).
 */
export function compose(transforms: readonly AnyTransform[]): Transform<Params, BufferList> {
  const list = [...transforms];
  const run = (params: Params, buffers: BufferList, x: Tensor, options: TransformOptions | undefined, inverse: boolean): TransformResult => {
    let out = x;
    let logDet: Tensor = zeros([x.shape[0] ?? 1]);
    const order = inverse ? list.map((_, i) => list.length - 1 - i) : list.map((_, i) => i);
    for (const i of order) {
      const t = list[i]!;
      const r = inverse
        ? t.inverseAndLogDet(params[i], buffers[i], out, at(options, i))
        : t.forwardAndLogDet(params[i], buffers[i], out, at(options, i));
      out = r.out;
      logDet = add(logDet, r.logDet);
    }
    return { out, logDet };
  };
  const plain = (params: Params, buffers: BufferList, x: Tensor, options: TransformOptions | undefined, inverse: boolean): Tensor => {
    let out = x;
    const order = inverse ? list.map((_, i) => list.length - 1 - i) : list.map((_, i) => i);
    for (const i of order) {
      const t = list[i]!;
      const o = at(options, i);
      if (inverse) out = t.inverse ? t.inverse(params[i], buffers[i], out, o) : t.inverseAndLogDet(params[i], buffers[i], out, o).out;
      else out = t.forward ? t.forward(params[i], buffers[i], out, o) : t.forwardAndLogDet(params[i], buffers[i], out, o).out;
    }
    return out;
  };
  const hasBuffers = list.some((t) => t.updateBuffers !== undefined);
  return {
    kind: 'compose',
    params: list.map((t) => t.params as TensorTree),
    buffers: list.map((t) => t.buffers as Buffers),
    forwardAndLogDet: (p, b, x, o) => run(p, b, x, o, false),
    inverseAndLogDet: (p, b, z, o) => run(p, b, z, o, true),
    forward: (p, b, x, o) => plain(p, b, x, o, false),
    inverse: (p, b, z, o) => plain(p, b, z, o, true),
    ...(hasBuffers
      ? { updateBuffers: (p: Params, b: BufferList) => list.map((t, i) => (t.updateBuffers ? t.updateBuffers(p[i], b[i]) : b[i]!)) }
      : {}),
  };
}

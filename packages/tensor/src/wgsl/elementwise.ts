import { broadcastLayout } from '../ops/elementwise.js';
import type { TensorInfo, WgslProgram } from '../primitive.js';
import { sameShape, sizeOf } from '../shape.js';
import { bindings, dispatchFor, entry, prelude, stridedOffsets, WORKGROUP_SIZE, word } from './program.js';

const NAMES = ['a', 'b', 'c'] as const;

/**
 * One invocation per output element evaluating `expr` of the inputs, named
 * `a`, `b`, `c` in input order unless `names` says otherwise. Broadcasting
 * reads each input at the offset given by its strides (0 on broadcast axes);
 * shapes and strides are uniforms, so the pipeline depends only on the op,
 * the dtypes and the rank after merging contiguous axes, not on the sizes.
 * Inputs that match the output or hold one element skip the index arithmetic.
 * `valueDType` picks the element type `T` of the prelude functions (default: input 0's).
 */
export function elementwiseProgram(
  op: string,
  expr: string,
  inputs: readonly TensorInfo[],
  out: TensorInfo,
  options: { names?: readonly string[]; valueDType?: TensorInfo['dtype'] } = {},
): WgslProgram {
  const names = options.names ?? NAMES;
  const n = sizeOf(out.shape);
  const dtypes = inputs.map((x) => x.dtype);
  const flat = inputs.map((x) => (sameShape(x.shape, out.shape) ? 'f' : sizeOf(x.shape) === 1 ? 's' : null));
  const typed = prelude(options.valueDType ?? dtypes[0] ?? out.dtype);
  if (flat.every((f) => f !== null)) {
    const reads = inputs.map((_, k) => `  let ${names[k]} = in${k}[${flat[k] === 'f' ? 'i' : '0u'}];`).join('\n');
    const source = `${bindings(dtypes, out.dtype, 1)}\n${typed}\n${entry(
      WORKGROUP_SIZE,
      `  if (i >= ${word(0)}) { return; }\n${reads}\n  out[i] = ${expr};`,
    )}`;
    return { key: `ew:${op}:${dtypes.join(',')}>${out.dtype}:${flat.join('')}:${expr}`, source, dispatch: dispatchFor(n), uniforms: [n] };
  }
  const { shape, strides } = broadcastLayout(out.shape, inputs.map((x) => x.shape));
  const r = shape.length;
  const k = inputs.length;
  // Words: n, then the r dims, then r strides per input.
  const uniforms = [n, ...shape, ...strides.flat()];
  const offsets = stridedOffsets(r, k, (d) => 1 + d, (q, d) => 1 + r + q * r + d);
  const reads = inputs.map((_, q) => `  let ${names[q]} = in${q}[o${q}];`).join('\n');
  const source = `${bindings(dtypes, out.dtype, uniforms.length)}\n${typed}\n${entry(
    WORKGROUP_SIZE,
    `  if (i >= ${word(0)}) { return; }\n${offsets}\n${reads}\n  out[i] = ${expr};`,
  )}`;
  return { key: `ew:${op}:${dtypes.join(',')}>${out.dtype}:r${r}:${expr}`, source, dispatch: dispatchFor(n), uniforms };
}

import { run } from '../engine.js';
import { DTypeError, ShapeError, show } from '../errors.js';
import type { CpuInput, Primitive, TensorInfo } from '../primitive.js';
import { broadcastShapes, sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { SIMD_GEMM_MIN_WORK, simdGemm } from '../backends/cpu/simd-gemm.js';
import { isNarrowProduct, narrowGemm } from '../backends/cpu/gemm-narrow.js';
import { NR } from '../backends/cpu/wasm-gemm.js';
import { gemm } from './gemm.js';
import { outputArray } from '../backends/cpu/buffer-pool.js';
import { matmulWgsl } from './matmul-wgsl.js';
import { unbroadcast } from './util.js';

export interface MatmulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

function dims(shape: readonly number[], transposed: boolean): [number, number] {
  const r = shape.length;
  return transposed ? [shape[r - 1]!, shape[r - 2]!] : [shape[r - 2]!, shape[r - 1]!];
}

/** Dense row-major copy of op(X) for one batch entry (op = transpose or identity). */
function packed(x: Float32Array, off: number, rows: number, cols: number, transposed: boolean, scratch: Float32Array): Float32Array {
  if (!transposed) return x.subarray(off, off + rows * cols);
  // x holds cols x rows; write its transpose.
  for (let i = 0; i < cols; i++) for (let j = 0; j < rows; j++) scratch[j * cols + i] = x[off + i * rows + j]!;
  return scratch;
}

/**
 * Batched matrix product op(A) · op(B) over the last two axes; leading (batch)
 * axes broadcast. The gradient rules are matmuls with the transposes swapped:
 * d op(A) = G · op(B)ᵀ, d op(B) = op(A)ᵀ · G.
 */
export const matmulPrimitive: Primitive<MatmulAttrs> = {
  name: 'matmul',
  infer([a, b], { transposeA, transposeB }) {
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') {
      throw new DTypeError(`matmul(a, b): expected float32 inputs, received ${a!.dtype} and ${b!.dtype}`);
    }
    if (a!.shape.length < 2 || b!.shape.length < 2) {
      throw new ShapeError(`matmul(a, b): expected rank >= 2 for both, received shapes ${show(a!.shape)} and ${show(b!.shape)} (reshape vectors to [1, n] or [n, 1])`);
    }
    const [m, ka] = dims(a!.shape, transposeA);
    const [kb, n] = dims(b!.shape, transposeB);
    if (ka !== kb) {
      throw new ShapeError(
        `matmul(a, b${transposeA ? ', transposeA' : ''}${transposeB ? ', transposeB' : ''}): inner sizes differ: ` +
          `a ${show(a!.shape)} gives ${m}x${ka}, b ${show(b!.shape)} gives ${kb}x${n}`,
      );
    }
    const batch = broadcastShapes('matmul (batch axes)', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    return { shape: [...batch, m, n], dtype: 'float32' };
  },
  cpu: (inputs, attrs, out) => matmulCpu(inputs, attrs, out, null),
  wgsl: matmulWgsl,
  grad(g, [a, b], _y, { transposeA: tA, transposeB: tB }, wanted) {
    // A product whose cotangent nobody reads (the data input of a layer) is not computed.
    const da = wanted?.[0] === false ? null : tA ? matmul(b!, g, { transposeA: tB, transposeB: true }) : matmul(g, b!, { transposeB: !tB });
    const db = wanted?.[1] === false ? null : tB ? matmul(g, a!, { transposeA: true, transposeB: tA }) : matmul(a!, g, { transposeA: !tA });
    return [da && unbroadcast(da, a!.shape), db && unbroadcast(db, b!.shape)];
  },
};

/**
 * The CPU kernel of matmul and matmulBias: op(A)·op(B) per batch entry, plus
 * the bias row (n values) where given, added to each entry as float32.
 */
export function matmulCpu(
  [a, b]: readonly CpuInput[], { transposeA, transposeB }: MatmulAttrs, out: TensorInfo, bias: Float32Array | null,
): Float32Array {
  const [m, k] = dims(a!.shape, transposeA);
  const n = out.shape[out.shape.length - 1]!;
  // NR floats of slack past the end let the SIMD kernel store a last, partial column panel in place
  // (outputs under 16 floats are plain arrays, which the pool would not take back as views).
  const size = sizeOf(out.shape);
  const C = size >= 16 ? (outputArray('float32', size + NR) as Float32Array).subarray(0, size) : outputArray('float32', size) as Float32Array;
  const batch = out.shape.slice(0, -2);
  const nb = sizeOf(batch);
  const aBatch = a!.shape.slice(0, -2), bBatch = b!.shape.slice(0, -2);
  const aStr = batchStrides(aBatch, batch, m * k), bStr = batchStrides(bBatch, batch, k * n);
  // Transpose scratch for the JavaScript kernel only, made when first needed.
  let sa: Float32Array | null = null, sb: Float32Array | null = null;
  const bs = stridesOf(batch);
  for (let t = 0; t < nb; t++) {
    let ao = 0, bo = 0, rem = t;
    for (let d = 0; d < batch.length; d++) {
      const i = Math.floor(rem / bs[d]!);
      rem -= i * bs[d]!;
      ao += i * aStr[d]!;
      bo += i * bStr[d]!;
    }
    // A narrow side (a 2-D flow's layers): no packing, four-vector rows.
    if (isNarrowProduct(m, n, k) && narrowGemm(a!.values as Float32Array, ao, transposeA, b!.values as Float32Array, bo, transposeB, C, t * m * n, m, n, k, bias)) continue;
    // The WebAssembly SIMD kernel packs its operands itself (transposes included).
    if (m * n * k >= SIMD_GEMM_MIN_WORK &&
      simdGemm(a!.values as Float32Array, ao, transposeA, b!.values as Float32Array, bo, transposeB, C, t * m * n, m, n, k, bias, t < nb - 1)) continue;
    const pa = packed(a!.values as Float32Array, ao, m, k, transposeA, (sa ??= new Float32Array(transposeA ? m * k : 0)));
    const pb = packed(b!.values as Float32Array, bo, k, n, transposeB, (sb ??= new Float32Array(transposeB ? k * n : 0)));
    gemm(pa, 0, pb, 0, C, t * m * n, m, n, k);
    // A float64 sum of two float32 values rounds to the float32 sum's bits (what add gives).
    if (bias !== null) for (let i = t * m * n; i < (t + 1) * m * n; i++) C[i] = Math.fround(C[i]! + bias[i % n]!);
  }
  return C;
}

/** Element strides of each broadcast batch index into a stack of matrices of `matrix` elements. */
function batchStrides(own: readonly number[], batch: readonly number[], matrix: number): number[] {
  const st = stridesOf(own).map((s) => s * matrix);
  const lead = batch.length - own.length;
  return batch.map((_, d) => (d < lead || own[d - lead] === 1 ? 0 : st[d - lead]!));
}

/**
 * Batched matrix product op(A) · op(B) over the last two axes, op being the transpose when
 * `transposeA`/`transposeB` is set; leading (batch) axes broadcast.
 */
export function matmul(a: Tensor, b: Tensor, options: { transposeA?: boolean; transposeB?: boolean } = {}): Tensor {
  return run(matmulPrimitive, [a, b], { transposeA: options.transposeA ?? false, transposeB: options.transposeB ?? false });
}

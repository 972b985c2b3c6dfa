import type { DType, TypedArray } from '../dtype.js';
import { DTypeError, show } from '../errors.js';
import type { CpuInput, GradRule, Primitive, TensorInfo } from '../primitive.js';
import { broadcastShapes, sameShape, sizeOf, stridesOf, type Shape } from '../shape.js';
import { simdUnary, type UnaryKernelName } from '../backends/cpu/wasm-unary.js';
import { outputArray } from '../backends/cpu/buffer-pool.js';
import { LAST_ROW, NONE, PARTIAL, simdBinary, simdBinarySame, simdUnaryInPlace } from '../backends/cpu/simd-elementwise.js';
import { registerFusable } from '../backends/cpu/fused-elementwise.js';
import { registerSimdBinary, registerSimdUnary, type SimdBinaryBody, type SimdUnaryBody } from '../backends/cpu/wasm-elementwise.js';

/**
 * Each op gets its own copy of the loop, compiled from the loop's source with
 * `new Function`, so that the call to its element function stays monomorphic
 * and is inlined (one shared loop calling a different closure per op would
 * stop being inlined once more than four ops use it). Where code generation
 * is refused (a Content Security Policy without 'unsafe-eval', e.g. browser
 * extensions), the shared loops are used as they are: the same results, slower.
 * The factories below are arrows that only touch their arguments and globals,
 * so their source text stands alone.
 */

type UnaryFn = (a: number) => number;
type BinaryFn = (a: number, b: number) => number;
type UnaryLoop = (x: TypedArray, out: TypedArray, n: number) => void;
type BinaryLoop = (a: TypedArray, b: TypedArray, out: TypedArray, shape: number[], sa: number[], sb: number[]) => void;

const unaryLoopFactory = (f: UnaryFn): UnaryLoop => (x, out, n) => {
  for (let i = 0; i < n; i++) out[i] = f(x[i]!);
};

// Iterates the (collapsed) output shape with an odometer over all but the last
// axis; the innermost loop has specialised forms for contiguous and broadcast operands.
const binaryLoopFactory = (f: BinaryFn): BinaryLoop => (A, B, O, shape, sa, sb) => {
  const r = shape.length;
  if (r === 0) { O[0] = f(A[0]!, B[0]!); return; }
  const n = shape[r - 1]!, ia = sa[r - 1]!, ib = sb[r - 1]!;
  let outer = 1;
  for (let d = 0; d < r - 1; d++) outer *= shape[d]!;
  const idx = new Int32Array(r);
  let pa = 0, pb = 0, o = 0;
  for (let q = 0; q < outer; q++) {
    if (ia === 1 && ib === 1) { for (let j = 0; j < n; j++) O[o + j] = f(A[pa + j]!, B[pb + j]!); }
    else if (ib === 0) { const b = B[pb]!; for (let j = 0; j < n; j++) O[o + j] = f(A[pa + j * ia]!, b); }
    else if (ia === 0) { const a = A[pa]!; for (let j = 0; j < n; j++) O[o + j] = f(a, B[pb + j * ib]!); }
    else { for (let j = 0; j < n; j++) O[o + j] = f(A[pa + j * ia]!, B[pb + j * ib]!); }
    o += n;
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++; pa += sa[d]!; pb += sb[d]!;
      if (idx[d]! < shape[d]!) break;
      pa -= sa[d]! * shape[d]!; pb -= sb[d]! * shape[d]!; idx[d] = 0;
    }
  }
};

let codegen: boolean | undefined;
let copies = 0;

/** A private copy of `factory`'s code applied to `fn`, or the shared one where `new Function` is refused. */
function specialise<F, L>(factory: (f: F) => L, fn: F): L {
  if (codegen !== false) {
    try {
      // The numbered comment makes each source distinct: V8 caches compilations by source text,
      // and identical copies would share one code object (and its type feedback) again.
      const copy = new Function(`return ${factory.toString()}; // copy ${copies++}`)() as (f: F) => L;
      codegen = true;
      return copy(fn);
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      codegen = false;
    }
  }
  return factory(fn);
}

/** Whether the CPU elementwise loops are compiled per op (false where a Content Security Policy refuses `new Function`). */
export function elementwiseCodegen(): boolean {
  return codegen === true;
}

/**
 * Strides of an input broadcast to `out` (0 on broadcast axes), with
 * adjacent axes merged where every operand is contiguous across them.
 */
export function broadcastLayout(out: Shape, inputs: readonly Shape[]): { shape: number[]; strides: number[][] } {
  const r = out.length;
  const full = inputs.map((s) => {
    const st = stridesOf(s);
    const res = new Array<number>(r).fill(0);
    for (let i = 0; i < s.length; i++) {
      const j = r - s.length + i;
      res[j] = s[i] === 1 && out[j] !== 1 ? 0 : st[i]!;
    }
    return res;
  });
  const shape: number[] = [];
  const strides: number[][] = inputs.map(() => []);
  for (let d = 0; d < r; d++) {
    const size = out[d]!;
    if (size === 1) continue;
    const last = shape.length - 1;
    const mergeable =
      last >= 0 && full.every((st, k) => strides[k]![last] === st[d]! * size);
    if (mergeable) {
      shape[last] = shape[last]! * size;
      full.forEach((st, k) => (strides[k]![last] = st[d]!));
    } else {
      shape.push(size);
      full.forEach((st, k) => strides[k]!.push(st[d]!));
    }
  }
  return { shape, strides };
}

export interface UnarySpec {
  name: string;
  /** The op on one element (exact IEEE semantics of the CPU kernel). */
  fn: UnaryFn;
  /** WGSL expression of `a`. */
  wgsl: string;
  grad?: GradRule<Record<string, never>>;
  /** Element types accepted; the output has the input's type. */
  dtypes?: readonly DType[];
  /**
   * A vectorised WebAssembly kernel for float32 inputs: one of wasm-unary.ts's
   * (within a few ulp of `fn`), or the op on one f32x4 vector (bit for bit `fn`).
   */
  simd?: UnaryKernelName | SimdUnaryBody;
}

// Below this many elements the copies into WebAssembly memory cost more than they save.
const SIMD_UNARY_MIN = 64;

export function unaryPrimitive(spec: UnarySpec): Primitive {
  const loop = specialise(unaryLoopFactory, spec.fn);
  const dtypes = spec.dtypes ?? ['float32'];
  const simd = spec.simd;
  const inPlace = simd !== undefined && registerSimdUnary(spec.name, simd);
  // The approximations (exp, tanh) keep the size at which they replaced fn, so results do not change.
  const minInPlace = typeof simd === 'string' ? SIMD_UNARY_MIN : 0;
  const prim: Primitive = {
    name: spec.name,
    infer([x]) {
      if (!dtypes.includes(x!.dtype)) {
        throw new DTypeError(`${spec.name}(x): x has dtype ${show(x!.dtype)}; expected ${dtypes.map((d) => show(d)).join(' or ')}`);
      }
      return { shape: x!.shape, dtype: x!.dtype };
    },
    cpu([x], _attrs, out) {
      const o = outputArray(out.dtype, x!.values.length, x!.values);
      if (inPlace && o.length >= minInPlace && simdUnaryInPlace(spec.name, x!.values, o)) return o;
      const fast = typeof simd === 'string' && o.length >= SIMD_UNARY_MIN && x!.values instanceof Float32Array &&
        simdUnary(simd, x!.values, o as Float32Array, o.length);
      if (!fast) loop(x!.values, o, o.length);
      return o;
    },
    grad: spec.grad,
    wgslExpr: spec.wgsl,
  };
  // A vector body (not an approximation kernel) gives fn's bits: jit may fuse it into chains.
  if (typeof simd === 'function') registerFusable(prim, 1, simd, spec.fn);
  return prim;
}

export interface BinarySpec {
  name: string;
  /** The op on one pair of elements. */
  fn: BinaryFn;
  /** WGSL expression of `a` and `b`. */
  wgsl: string;
  grad?: GradRule<Record<string, never>>;
  /** Output type: the inputs' (arithmetic) or always float32 (comparisons). */
  output: 'same' | 'float32';
  dtypes?: readonly DType[];
  /** The op on one pair of f32x4 vectors, giving `fn`'s float32 results bit for bit (WebAssembly SIMD fast path). */
  simd?: SimdBinaryBody;
}

export function inferBinary(name: string, a: TensorInfo, b: TensorInfo, dtypes: readonly DType[]): Shape {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${name}(a, b): a is ${a.dtype} and b is ${b.dtype}; expected the same dtype (cast one first)`);
  }
  if (!dtypes.includes(a.dtype)) {
    throw new DTypeError(`${name}(a, b): inputs have dtype ${show(a.dtype)}; expected ${dtypes.map((d) => show(d)).join(' or ')}`);
  }
  // Same shapes (most ops of a training step): the shape itself, no new array.
  return sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(name, a.shape, b.shape);
}

export function binaryPrimitive(spec: BinarySpec): Primitive {
  const loop = specialise(binaryLoopFactory, spec.fn);
  const dtypes = spec.dtypes ?? ['float32', 'int32'];
  const simd = spec.simd !== undefined && registerSimdBinary(spec.name, spec.simd);
  const prim: Primitive = {
    name: spec.name,
    infer([a, b]) {
      const shape = inferBinary(spec.name, a!, b!, dtypes);
      return { shape, dtype: spec.output === 'same' ? a!.dtype : 'float32' };
    },
    cpu([a, b], _attrs, out) {
      const A = a!.values, B = b!.values;
      const o = outputArray(out.dtype, sizeOf(out.shape), A.length >= B.length ? A : B);
      if (o.length === 0) return o;
      if (sameShape(a!.shape, b!.shape)) {
        if (!(simd && simdBinarySame(spec.name, A, B, o))) loop(A, B, o, [o.length], [1], [1]);
      } else {
        const { shape, strides } = broadcastLayout(out.shape, [a!.shape, b!.shape]);
        const done = simd ? simdBinary(spec.name, A, B, o, shape, strides[0]!, strides[1]!) : NONE;
        if (done === NONE) loop(A, B, o, shape, strides[0]!, strides[1]!);
        else if (done === PARTIAL) {
          // The one row a vector loop would have written past the output's block.
          const [ia, ib, io, n, sa, sb] = LAST_ROW;
          loop(A.subarray(ia), B.subarray(ib), o.subarray(io, io! + n!), [n!], [sa!], [sb!]);
        }
      }
      return o;
    },
    grad: spec.grad,
    wgslExpr: spec.wgsl,
  };
  if (spec.simd !== undefined) registerFusable(prim, 2, spec.simd, spec.fn);
  return prim;
}

export type { CpuInput };

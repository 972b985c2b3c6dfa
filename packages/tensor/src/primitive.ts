import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';
import type { Tensor } from './tensor.js';

/** Shape and element type of a tensor, without its data. */
export interface TensorInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a CPU kernel sees of an input: its values (row-major) and layout. */
export interface CpuInput {
  readonly values: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * A primitive's CPU kernel: computes the output values from the inputs' typed arrays and the
 * attributes.
 */
export type CpuKernel<A> = (inputs: readonly CpuInput[], attrs: A, out: TensorInfo) => TypedArray;

/**
 * A WGSL kernel: given the op's inputs, attributes and output, it names the
 * shader source (cached by `key`), the dispatch size and the uniform values.
 * The WebGPU backend compiles and runs it; the CPU backend never reads it.
 */
export interface WgslProgram {
  readonly key: string;
  readonly source: string;
  readonly dispatch: readonly [number, number, number];
  readonly uniforms?: readonly number[];
  /** Binding element types of the inputs and output, in binding order. */
  readonly workgroupSize?: number;
}
/**
 * A primitive's WebGPU kernel: builds the WGSL program (source, bindings, dispatch) for given
 * input shapes and attributes.
 */
export type WgslKernel<A> = (inputs: readonly TensorInfo[], attrs: A, out: TensorInfo) => WgslProgram;

/**
 * A gradient rule: the cotangent of the output in, the cotangents of the
 * inputs out (null where an input is not differentiable). Rules are written
 * with differentiable tensor ops, so gradients of gradients come for free.
 * `wanted[k]` is false where the sweep has no use for input k's cotangent (a
 * data input, a constant): a rule may return null there instead of computing
 * it (matmul skips that product); omitted, every cotangent is wanted.
 */
export type GradRule<A> = (
  g: Tensor, inputs: readonly Tensor[], output: Tensor, attrs: A, wanted?: readonly boolean[],
) => (Tensor | null)[];

/**
 * A primitive op: one of the short list every backend implements. All other
 * ops are composed from these.
 */
export interface Primitive<A = Record<string, never>> {
  readonly name: string;
  /** Validates the inputs and attributes and returns the output layout. */
  readonly infer: (inputs: readonly TensorInfo[], attrs: A) => TensorInfo;
  readonly cpu: CpuKernel<A>;
  readonly wgsl?: WgslKernel<A>;
  /** Elementwise primitives: the WGSL expression of `a` (and `b`) the WebGPU backend wraps in a kernel. */
  readonly wgslExpr?: string;
  readonly grad?: GradRule<A>;
  /** The output shares the first input's storage (reshape): no kernel runs. */
  readonly alias?: boolean;
}

/** A primitive with any attribute type, for tables of primitives. */
// Erased form used by the engine and backends.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPrimitive = Primitive<any>;

// @rheo/tensor: tensors, primitive ops with CPU (and WGSL) kernels,
// higher-order reverse-mode autodiff, and counter-based PRNG keys.
import './backends/cpu.js';

export { RheoError, ShapeError, DTypeError, ArgumentError, DisposedError, BackendError, NonFiniteError } from './errors.js';
export type { DType, TypedArray } from './dtype.js';
export type { Shape } from './shape.js';
export { broadcastShapes, sizeOf } from './shape.js';
export { Tensor, type NestedArray } from './tensor.js';
export type { Backend, BackendMemory, KernelInput, Storage } from './backend.js';
export type { Primitive, AnyPrimitive, TensorInfo, CpuInput, CpuKernel, GradRule, WgslKernel, WgslProgram } from './primitive.js';
export { CpuBackend, cpuOutputArray } from './backends/cpu.js';
export {
  registerBackend, registeredBackends, setBackend, getBackend, backendInfo, memory, setCheckFinite,
  tidy, keep, release, run,
} from './engine.js';
export { recordOutputsForFiniteCheck, firstNonFiniteOutput } from './finite-record.js';
export { toBackend } from './transfer.js';
export { tensor, scalar, full, zeros, ones, zerosLike, onesLike, arange, eye, asTensor, type TensorLike } from './creation.js';
export { type TensorTree, flattenTree, mapTree } from './tree.js';
export { grad, valueAndGrad, vjp, customVjp, jvp, hvp, stopGradient, type VjpResult } from './autodiff.js';
export { jit, untraceable, TraceError, type JitFunction, type JitOptions, type JitStats } from './jit/jit.js';
export type { JitTree } from './jit/args.js';
export { PRIMITIVES } from './ops/table.js';

// primitives
export { neg } from './ops/neg.js';
export { exp } from './ops/exp.js';
export { log } from './ops/log.js';
export { log1p } from './ops/log1p.js';
export { sqrt } from './ops/sqrt.js';
export { sin } from './ops/sin.js';
export { cos } from './ops/cos.js';
export { tanh } from './ops/tanh.js';
export { abs } from './ops/abs.js';
export { sign } from './ops/sign.js';
export { floor } from './ops/floor.js';
export { add } from './ops/add.js';
export { sub } from './ops/sub.js';
export { mul } from './ops/mul.js';
export { div } from './ops/div.js';
export { maximum } from './ops/maximum.js';
export { less } from './ops/less.js';
export { equal } from './ops/equal.js';
export { where } from './ops/where.js';
export { sum } from './ops/sum.js';
export { max } from './ops/max.js';
export { matmul } from './ops/matmul.js';
export { matmulBias } from './ops/matmul-bias.js';
export { reshape } from './ops/reshape.js';
export { broadcastTo } from './ops/broadcast-to.js';
export { permute, transpose } from './ops/permute.js';
export { slice, sliceAxis } from './ops/slice.js';
export { pad } from './ops/pad.js';
export { concat, stack } from './ops/concat.js';
export { gather } from './ops/gather.js';
export { scatterAdd } from './ops/scatter-add.js';
export { takeAlongAxis } from './ops/take-along-axis.js';
export { scatterAddAlongAxis } from './ops/scatter-add-along-axis.js';
export { cumsum, type CumsumOptions } from './ops/cumsum.js';
export { searchsorted, type SearchsortedOptions } from './ops/searchsorted.js';
export { cast } from './ops/cast.js';
export { elementwiseChain, type ChainOp } from './ops/elementwise-chain.js';

// composites
export {
  square, reciprocal, rsqrt, pow, minimum, greater, greaterEqual, lessEqual, clip,
  relu, sigmoid, softplus, logSigmoid, elu, swish, lipSwish,
} from './math/elementwise.js';
export { mean, variance, min, logsumexp, logSoftmax, softmax, norm } from './math/reductions.js';
export { logAbsDetUnpivoted } from './math/log-abs-det.js';

// randomness
export { Key, key, split, fold, keyedValue } from './random/key.js';
export { threefry2x32, threefryStream } from './random/threefry.js';
export { uniform, normal } from './random/samplers.js';
export { bernoulli, geometric, randint, permutation, permutationIndices } from './random/discrete.js';
export { poisson, poissonSample } from './random/poisson.js';
export { elementwiseCodegen } from './ops/elementwise.js';

import type { DType } from '@rheo/tensor';
import { ExportError } from './errors.js';
import { isBatchDim, type Dim } from './merge.js';
import { ONNX_TYPE, type OnnxBuilder } from './onnx-builder.js';

/** What an emitter sees of one primitive application. */
export interface OpSite {
  readonly b: OnnxBuilder;
  /** ONNX names of the inputs. */
  readonly ins: readonly string[];
  readonly inShapes: readonly (readonly Dim[])[];
  readonly inTypes: readonly DType[];
  // Attributes as the primitive recorded them, with batch-following sizes as BatchDim.
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly shape: readonly Dim[];
  readonly dtype: DType;
}

type Emitter = (s: OpSite) => string;

const addDim = (x: Dim, y: Dim): Dim => {
  if (!isBatchDim(x) && !isBatchDim(y)) return x + y;
  const [p, q] = [isBatchDim(x) ? x : { a: 0, b: x }, isBatchDim(y) ? y : { a: 0, b: y }];
  return p.a + q.a === 0 ? p.b + q.b : { a: p.a + q.a, b: p.b + q.b };
};

const unary = (op: string): Emitter => (s) => s.b.op(op, s.ins);
const binary = (op: string): Emitter => (s) => s.b.op(op, s.ins);
/** Comparisons give float32 masks of 0 and 1 in rheo; ONNX gives bool. */
const compare = (op: string): Emitter => (s) => s.b.op('Cast', [s.b.op(op, s.ins)], { to: ONNX_TYPE.float32 });
const num = (v: unknown): number => v as number;
const ints = (v: unknown): number[] => v as number[];

/** log1p in float32 without cancellation: log(u)·x/(u − 1) with u = 1 + x (Goldberg 1991, "What every computer scientist should know about floating-point arithmetic", Thm. 4). */
const log1p: Emitter = ({ b, ins: [x] }) => {
  const one = b.scalar(1, 'float32');
  const u = b.op('Add', [x!, one]);
  const d = b.op('Sub', [u, one]);
  const r = b.op('Div', [b.op('Mul', [b.op('Log', [u]), x!]), d]);
  return b.op('Where', [b.op('Equal', [d, b.scalar(0, 'float32')]), x!, r]);
};

const matmul: Emitter = ({ b, ins, inShapes, attrs }) => {
  const t = (name: string, rank: number, on: unknown) => {
    if (on !== true) return name;
    const perm = Array.from({ length: rank }, (_, i) => i);
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
    return b.op('Transpose', [name], { perm });
  };
  return b.op('MatMul', [t(ins[0]!, inShapes[0]!.length, attrs['transposeA']), t(ins[1]!, inShapes[1]!.length, attrs['transposeB'])]);
};

const reduce = (op: 'ReduceSum' | 'ReduceMax'): Emitter => ({ b, ins, attrs }) => {
  const axes = ints(attrs['axes']);
  if (axes.length === 0) return b.op('Identity', ins);
  const keepdims = attrs['keepDims'] === true ? 1 : 0;
  // Opset 17: ReduceSum takes its axes as an input (since 13), ReduceMax as an attribute (until 18).
  return op === 'ReduceSum' ? b.op(op, [ins[0]!, b.int64(axes)], { keepdims }) : b.op(op, ins, { axes, keepdims });
};

/** Counts the edges e < v (e ≤ v with `right`) by comparing every value with every edge: ONNX has no searchsorted. NaN values count every edge, as in rheo. */
const searchsortedEmit = (right: boolean): Emitter => ({ b, ins: [edges, values], inShapes }) => {
  const es = inShapes[0]!;
  const e = b.op('Unsqueeze', [edges!, b.int64([es.length - 1])]); // [..., 1, E]
  const v = b.op('Unsqueeze', [values!, b.int64([-1])]); // [..., M, 1]
  const hit = b.op(right ? 'LessOrEqual' : 'Less', [e, v]);
  const count = b.op('ReduceSum', [b.op('Cast', [hit], { to: ONNX_TYPE.int32 }), b.int64([-1])], { keepdims: 0 });
  const total = es[es.length - 1] as number;
  return b.op('Where', [b.op('IsNaN', [values!]), b.scalar(total, 'int32'), count]);
};

/** Zeros shaped like u with axis `axis` resized to k, for a scatter to add into. */
const zerosLike = (b: OnnxBuilder, u: string, rank: number, axis: number, k: number, dtype: DType): string => {
  const shape = b.op('Shape', [u]);
  const parts = [
    ...(axis > 0 ? [b.op('Slice', [shape, b.int64([0]), b.int64([axis])])] : []),
    b.int64([k]),
    ...(axis < rank - 1 ? [b.op('Slice', [shape, b.int64([axis + 1]), b.int64([rank])])] : []),
  ];
  return b.op('Expand', [b.scalar(0, dtype), parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: 0 })]);
};

const EMITTERS: Readonly<Record<string, Emitter>> = {
  neg: unary('Neg'), exp: unary('Exp'), log: unary('Log'), log1p, sqrt: unary('Sqrt'), sin: unary('Sin'), cos: unary('Cos'),
  tanh: unary('Tanh'), sigmoid: unary('Sigmoid'), abs: unary('Abs'), sign: unary('Sign'), floor: unary('Floor'),
  add: binary('Add'), sub: binary('Sub'), mul: binary('Mul'), div: binary('Div'), maximum: binary('Max'),
  less: compare('Less'), equal: compare('Equal'),
  // rheo's condition is "non-zero" (NaN included), ONNX's a bool.
  where: ({ b, ins: [c, x, y], inTypes }) => b.op('Where', [b.op('Not', [b.op('Equal', [c!, b.scalar(0, inTypes[0]!)])]), x!, y!]),
  sum: reduce('ReduceSum'), max: reduce('ReduceMax'), matmul,
  matmulBias: (s) => s.b.op('Add', [matmul(s), s.ins[2]!]),
  cumsum: ({ b, ins, attrs }) => b.op('CumSum', [ins[0]!, b.int64([num(attrs['axis'])], [])], { exclusive: attrs['exclusive'] ? 1 : 0, reverse: attrs['reverse'] ? 1 : 0 }),
  searchsorted: (s) => searchsortedEmit(s.attrs['right'] === true)(s),
  reshape: ({ b, ins, attrs }) => b.op('Reshape', [ins[0]!, b.shape(attrs['shape'] as Dim[])], { allowzero: 1 }),
  broadcastTo: ({ b, ins, attrs }) => b.op('Expand', [ins[0]!, b.shape(attrs['shape'] as Dim[])]),
  permute: ({ b, ins, attrs }) => b.op('Transpose', ins, { perm: ints(attrs['perm']) }),
  slice: ({ b, ins, attrs }) => {
    const begin = attrs['begin'] as Dim[];
    const size = attrs['size'] as Dim[];
    const ends = begin.map((d, i) => addDim(d, size[i]!));
    return b.op('Slice', [ins[0]!, b.shape(begin), b.shape(ends), b.int64(begin.map((_, i) => i))]);
  },
  pad: ({ b, ins, attrs, dtype }) => {
    const p = attrs['paddings'] as [number, number][];
    return b.op('Pad', [ins[0]!, b.int64([...p.map((x) => x[0]), ...p.map((x) => x[1])]), b.scalar(num(attrs['value']), dtype)]);
  },
  concat: ({ b, ins, attrs }) => b.op('Concat', ins, { axis: num(attrs['axis']) }),
  gather: ({ b, ins, attrs }) => b.op('Gather', ins, { axis: num(attrs['axis']) }),
  takeAlongAxis: ({ b, ins, inShapes }) => b.op('GatherElements', ins, { axis: inShapes[0]!.length - 1 }),
  // ScatterElements with reduction 'add' (opset 16): repeated indices accumulate, and a non-finite update
  // stays in its own entry (a one-hot product would spread 0·∞ = NaN over the row).
  scatterAddAlongAxis: ({ b, ins: [u, idx], inShapes, attrs, dtype }) => {
    const rank = inShapes[0]!.length;
    return b.op('ScatterElements', [zerosLike(b, u!, rank, rank - 1, num(attrs['size']), dtype), idx!, u!], { axis: rank - 1, reduction: 'add' });
  },
  // out[o, idx[j], i] += u[o, j, i], u viewed as [outer, m, inner] and the indices broadcast over o and i.
  scatterAdd: ({ b, ins: [u, idx], inShapes, attrs, shape, dtype }) => {
    const axis = num(attrs['axis']);
    const us = inShapes[0]!, is = inShapes[1]!;
    const m = (is as number[]).reduce((p, q) => p * q, 1);
    const inner = (us.slice(axis + is.length) as number[]).reduce((p, q) => p * q, 1);
    const u3 = b.op('Reshape', [u!, b.int64([-1, m, inner])]);
    const i3 = b.op('Expand', [b.op('Reshape', [idx!, b.int64([1, m, 1])]), b.op('Shape', [u3])]);
    const out = b.op('ScatterElements', [zerosLike(b, u3, 3, 1, num(attrs['size']), dtype), i3, u3], { axis: 1, reduction: 'add' });
    return b.op('Reshape', [out, b.shape(shape)], { allowzero: 1 });
  },
  cast: ({ b, ins, attrs }) => b.op('Cast', ins, { to: ONNX_TYPE[attrs['dtype'] as DType] }),
};

/** The ONNX nodes of one rheo primitive; the output's name. */
export function emitPrimitive(name: string, site: OpSite): string {
  const emit = EMITTERS[name];
  if (emit === undefined) {
    throw new ExportError(`primitive ${name} has no ONNX form (${name === 'randomUniform' ? 'random numbers are drawn inside the pass' : 'unknown to this exporter'})`);
  }
  return emit(site);
}

/** Names of the primitives this exporter maps to ONNX. */
export const EXPORTED_PRIMITIVES: readonly string[] = Object.keys(EMITTERS);

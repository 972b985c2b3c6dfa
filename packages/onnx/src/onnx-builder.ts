import type { DType, TypedArray } from '@rheo/tensor';
import { isBatchDim, type Dim } from './merge.js';

/** ONNX TensorProto.DataType codes used here. */
export const ONNX_TYPE = { float32: 1, int32: 6, int64: 7, bool: 9 } as const;

/** An ONNX attribute value: an integer, a float, a list of integers or a string. */
export type AttrValue = number | { readonly f: number } | readonly number[] | string;

/** NodeProto, TensorProto and ValueInfoProto as plain objects for protobufjs' `fromObject`. */
export interface NodeObject {
  readonly opType: string;
  readonly name: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly attribute: readonly object[];
}

export interface TensorObject {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  readonly rawData: Uint8Array;
}

const bytesOf = (a: TypedArray | BigInt64Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

/**
 * Collects ONNX nodes and initializers: `op` appends a node and returns its output's name, the
 * constant helpers add (and share) initializers, and `shape` turns a list of sizes, some of which
 * follow the batch, into an int64 shape tensor computed from the batch input's `Shape`.
 */
export class OnnxBuilder {
  readonly nodes: NodeObject[] = [];
  readonly initializers: TensorObject[] = [];
  private count = 0;
  private readonly shared = new Map<string, string>();
  private batchName: string | null = null;

  /** @param batchSource a graph input whose first axis is the batch. */
  constructor(private readonly batchSource: string) {}

  fresh(prefix = 't'): string {
    return `${prefix}${this.count++}`;
  }

  op(opType: string, input: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, output = this.fresh()): string {
    const attribute = Object.entries(attrs).map(([name, v]) =>
      typeof v === 'number' ? { name, type: 2, i: v }
      : typeof v === 'string' ? { name, type: 3, s: new TextEncoder().encode(v) }
      : Array.isArray(v) ? { name, type: 7, ints: v }
      : { name, type: 1, f: (v as { f: number }).f });
    this.nodes.push({ opType, name: `${opType}_${this.nodes.length}`, input, output: [output], attribute });
    return output;
  }

  tensor(values: TypedArray | BigInt64Array | Uint8Array, dims: readonly number[], dataType: number, name = this.fresh('c')): string {
    this.initializers.push({ name, dims: [...dims], dataType, rawData: bytesOf(values) });
    return name;
  }

  /** An int64 tensor (1-D unless `dims` says otherwise), shared between uses. */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.share(`i64:${dims.join('x')}:${values.join(',')}`, () => this.tensor(BigInt64Array.from(values.map(BigInt)), dims, ONNX_TYPE.int64));
  }

  /** A scalar of a rheo dtype, shared. */
  scalar(value: number, dtype: DType): string {
    const a = dtype === 'int32' ? Int32Array.of(value) : Float32Array.of(value);
    return this.share(`${dtype}:${Object.is(value, -0) ? '-0' : String(value)}`, () => this.tensor(a, [], ONNX_TYPE[dtype]));
  }

  /** The batch size as an int64 tensor [1]. */
  batch(): string {
    this.batchName ??= this.op('Shape', [this.batchSource], { start: 0, end: 1 });
    return this.batchName;
  }

  /** A size as an int64 tensor [1]. */
  dim(d: Dim): string {
    if (!isBatchDim(d)) return this.int64([d]);
    return this.share(`dim:${d.a},${d.b}`, () => {
      let t = this.batch();
      if (d.a !== 1) t = this.op('Mul', [t, this.int64([d.a])]);
      if (d.b !== 0) t = this.op('Add', [t, this.int64([d.b])]);
      return t;
    });
  }

  /** A 1-D int64 tensor of sizes; static runs become one initializer. */
  shape(dims: readonly Dim[]): string {
    if (dims.every((d) => !isBatchDim(d))) return this.int64(dims as number[]);
    return this.share(`shape:${JSON.stringify(dims)}`, () => {
      const parts: string[] = [];
      let run: number[] = [];
      for (const d of dims) {
        if (isBatchDim(d)) {
          if (run.length > 0) parts.push(this.int64(run));
          run = [];
          parts.push(this.dim(d));
        } else run.push(d);
      }
      if (run.length > 0) parts.push(this.int64(run));
      return parts.length === 1 ? parts[0]! : this.op('Concat', parts, { axis: 0 });
    });
  }

  private share(key: string, make: () => string): string {
    const known = this.shared.get(key);
    if (known !== undefined) return known;
    const name = make();
    this.shared.set(key, name);
    return name;
  }
}

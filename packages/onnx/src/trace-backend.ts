import {
  PRIMITIVES, type AnyPrimitive, type Backend, type BackendMemory, type DType, type KernelInput, type Storage, type TensorInfo,
  type TypedArray,
} from '@rheo/tensor';
import { ExportError } from './errors.js';

/** A graph input: a tensor the caller feeds (x, z, the context). */
export interface TraceInput {
  readonly kind: 'input';
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A tensor uploaded during the trace: parameters, buffers, scalars, fills. */
export interface TraceConst {
  readonly kind: 'const';
  readonly values: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** One primitive applied to earlier nodes (by index). */
export interface TraceOp {
  readonly kind: 'op';
  readonly prim: AnyPrimitive;
  readonly inputs: readonly number[];
  readonly attrs: unknown;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A node of a recorded trace. */
export type TraceNode = TraceInput | TraceConst | TraceOp;

/** The storage of a traced tensor: the index of the node that made it. */
interface Symbolic {
  readonly id: number;
}

const reshapePrim = PRIMITIVES.find((p) => p.name === 'reshape')!;

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * A backend that computes nothing: every upload becomes a constant (or a graph input, for the arrays
 * announced with `expectInput`), every primitive a node of a list, and its storage is the node's
 * index. It has no synchronous read, so code that reads values back into JS fails, and iterative
 * solvers take their fixed-length path (as on WebGPU). Reshape shares storage in the engine and runs
 * no kernel; it is recovered where a tensor is used with a shape other than its node's.
 */
export class TraceBackend implements Backend {
  readonly name = 'onnx-trace';
  readonly description = 'records primitives for ONNX export; computes nothing';
  readonly nodes: TraceNode[] = [];
  /** 'build' while the model is built (random initialisation allowed), 'pass' while the exported pass runs. */
  mode: 'build' | 'pass' = 'build';
  private readonly expected = new Map<TypedArray, string>();
  private readonly reshapes = new Map<string, number>();
  private captured: number | null = null;

  /** The next upload of exactly this array becomes the graph input `name`. */
  expectInput(values: TypedArray, name: string): void {
    this.expected.set(values, name);
  }

  upload(values: TypedArray, info: TensorInfo): Storage {
    const name = this.expected.get(values);
    if (name !== undefined) {
      this.expected.delete(values);
      return this.push({ kind: 'input', name, shape: [...info.shape], dtype: info.dtype });
    }
    return this.push({ kind: 'const', values: values.slice(), shape: [...info.shape], dtype: info.dtype });
  }

  /** Reads nothing: it notes which node was asked for (see `nodeOf`). */
  read(storage: Storage, info: TensorInfo): Promise<TypedArray> {
    this.captured = this.use(storage, info.shape);
    return Promise.resolve(info.dtype === 'int32' ? new Int32Array(0) : new Float32Array(0));
  }

  /** The node index of a tensor stored here, viewed with `shape` (its own, or a reshape of it). */
  nodeOf(read: () => unknown): number {
    this.captured = null;
    read();
    if (this.captured === null) throw new ExportError('internal: a traced output was not read from the trace backend');
    return this.captured;
  }

  release(): void {}

  execute(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, out: TensorInfo): Storage {
    if (this.mode === 'pass' && prim.name === 'randomUniform') {
      throw new ExportError(
        'draws random numbers inside the pass (a stochastic estimator or noise generated in the model); an ONNX graph here is deterministic: pass the noise as an input or use an exact rule',
      );
    }
    const ids = inputs.map((k) => this.use(k.storage, k.shape));
    return this.push({ kind: 'op', prim, inputs: ids, attrs, shape: [...out.shape], dtype: out.dtype });
  }

  memory(): BackendMemory {
    return { buffers: this.nodes.length, bytes: 0 };
  }

  private push(node: TraceNode): Symbolic {
    this.nodes.push(node);
    return { id: this.nodes.length - 1 };
  }

  private use(storage: Storage, shape: readonly number[]): number {
    const id = (storage as Symbolic).id;
    const node = this.nodes[id]!;
    if (sameShape(node.shape, shape)) return id;
    const key = `${id}:${shape.join(',')}`;
    const known = this.reshapes.get(key);
    if (known !== undefined) return known;
    const made = this.push({ kind: 'op', prim: reshapePrim, inputs: [id], attrs: { shape: [...shape] }, shape: [...shape], dtype: node.dtype }).id;
    this.reshapes.set(key, made);
    return made;
  }
}

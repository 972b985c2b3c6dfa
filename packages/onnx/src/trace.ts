import { backendInfo, registerBackend, setBackend, tensor, tidy, type Tensor } from '@rheo/tensor';
import { TraceBackend, type TraceNode } from './trace-backend.js';

/** A recorded pass: its nodes and, per named output, the node holding it. */
export interface TraceGraph {
  readonly batch: number;
  readonly nodes: readonly TraceNode[];
  readonly outputs: readonly { readonly name: string; readonly node: number }[];
}

/** What a traced body gets: the batch size and a way to declare graph inputs. */
export interface TraceScope {
  readonly batch: number;
  /** A graph input `name` of shape [batch, ...event] (float32). */
  input(name: string, event: readonly number[]): Tensor;
  /** Ends the build phase: from here on, random draws are export errors. */
  beginPass(): void;
}

const TRACE = 'onnx-trace';

/**
 * Runs `body` once with every tensor on a fresh trace backend (see `TraceBackend`) and returns what
 * it recorded. The active backend is restored afterwards.
 */
export async function traceOnce(batch: number, body: (scope: TraceScope) => Readonly<Record<string, Tensor>>): Promise<TraceGraph> {
  const before = backendInfo().name;
  const tracer = new TraceBackend();
  // Priority below the CPU's: setBackend('auto') never picks it.
  registerBackend(TRACE, () => tracer, -1);
  await setBackend(TRACE, { quiet: true });
  try {
    return tidy(() => {
      const scope: TraceScope = {
        batch,
        input: (name, event) => {
          const values = new Float32Array(batch * event.reduce((a, b) => a * b, 1));
          tracer.expectInput(values, name);
          return tensor(values, [batch, ...event]);
        },
        beginPass: () => {
          tracer.mode = 'pass';
        },
      };
      const out = body(scope);
      const outputs = Object.entries(out).map(([name, t]) => ({ name, node: tracer.nodeOf(() => void t.data()) }));
      return { batch, nodes: tracer.nodes, outputs };
    });
  } finally {
    await setBackend(before, { quiet: true });
  }
}

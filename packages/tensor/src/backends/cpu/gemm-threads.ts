import { BackendError } from '../../errors.js';
import { MR, NR, SHARED_MAX_PAGES, sharedGemmModuleBytes, type GemmFn } from './wasm-gemm.js';

/**
 * The SIMD gemm split over threads. Operands are packed once into a shared
 * WebAssembly memory; each thread then runs the micro-kernel on its own range
 * of MR-row panels of C, so no two threads write the same bytes and the sums
 * are the same, bit for bit, as with one thread. Workers wait on an atomic
 * sequence number (no message passing on the hot path). Node only: elsewhere,
 * or with RHEO_CPU_THREADS=1, the single-threaded kernel runs.
 */

/** Runs the micro-kernel over blocks of `nc` column panels (the GEBP loop); byte offsets. */
export function gemmBlocks(
  gemm: GemmFn, ap: number, bp: number, cp: number, mb: number, nb: number, k: number, ldc: number, nc: number,
): void {
  for (let j0 = 0; j0 < nb; j0 += nc) gemm(ap, bp + j0 * NR * k * 4, cp + j0 * NR * 4, mb, Math.min(nc, nb - j0), k, ldc);
}

// Control words per worker: [sequence, done, error, ap, bp, cp, mb, nb, k, ldc, nc].
const SLOT = 16;
const SEQ = 0, DONE = 1, ERROR = 2, ARGS = 3;

// CommonJS, run with { eval: true }; mirrors gemmBlocks.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control, slot, NR } = workerData;
const gemm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.gemm;
const c = new Int32Array(control, slot * ${SLOT * 4}, ${SLOT});
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  seen = Atomics.load(c, ${SEQ});
  try {
    const ap = c[${ARGS}], bp = c[${ARGS + 1}], cp = c[${ARGS + 2}], mb = c[${ARGS + 3}], nb = c[${ARGS + 4}];
    const k = c[${ARGS + 5}], ldc = c[${ARGS + 6}], nc = c[${ARGS + 7}];
    for (let j0 = 0; j0 < nb; j0 += nc) gemm(ap, bp + j0 * NR * k * 4, cp + j0 * NR * 4, mb, Math.min(nc, nb - j0), k, ldc);
    Atomics.store(c, ${ERROR}, 0);
  } catch (e) {
    Atomics.store(c, ${ERROR}, 1);
  }
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

interface WorkerLike { unref(): void }
interface WorkerThreads { Worker: new (src: string, opts: { eval: boolean; workerData: unknown }) => WorkerLike }
interface NodeProcess {
  env: Record<string, string | undefined>;
  getBuiltinModule?: (name: string) => unknown;
}

export interface ThreadedGemm {
  readonly memory: WebAssembly.Memory;
  readonly threads: number;
  /** gemmBlocks over all mb row panels, split across the threads. */
  run(ap: number, bp: number, cp: number, mb: number, nb: number, k: number, ldc: number, nc: number): void;
}

let pool: ThreadedGemm | null | undefined;

function threadCount(proc: NodeProcess): number {
  const requested = proc.env['RHEO_CPU_THREADS'];
  if (requested !== undefined) {
    const n = Number(requested);
    if (!Number.isInteger(n) || n < 1) {
      throw new BackendError(`RHEO_CPU_THREADS: received ${JSON.stringify(requested)}; expected a positive integer`);
    }
    return Math.min(n, 16);
  }
  const os = proc.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  return Math.min(os?.availableParallelism?.() ?? 1, 8);
}

function createPool(): ThreadedGemm | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (proc?.getBuiltinModule === undefined || typeof SharedArrayBuffer === 'undefined') return null;
  const threads = threadCount(proc);
  if (threads < 2 || !WebAssembly.validate(sharedGemmModuleBytes)) return null;
  const wt = proc.getBuiltinModule('node:worker_threads') as WorkerThreads | undefined;
  if (wt === undefined) return null;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
  const module = new WebAssembly.Module(sharedGemmModuleBytes);
  const gemm = (new WebAssembly.Instance(module, { env: { memory } }).exports as { gemm: GemmFn }).gemm;
  const control = new Int32Array(new SharedArrayBuffer(SLOT * 4 * (threads - 1)));
  for (let slot = 0; slot < threads - 1; slot++) {
    const worker = new wt.Worker(WORKER_SOURCE, {
      eval: true, workerData: { bytes: sharedGemmModuleBytes, memory, control: control.buffer, slot, NR },
    });
    // Idle workers block in Atomics.wait; they must not keep the process alive.
    worker.unref();
  }
  return {
    memory,
    threads,
    run(ap, bp, cp, mb, nb, k, ldc, nc) {
      const parts = Math.min(threads, mb);
      const per = Math.ceil(mb / parts);
      const seqs: number[] = [];
      for (let t = 1; t < parts; t++) {
        const lo = t * per, rows = Math.min(per, mb - lo);
        const base = (t - 1) * SLOT;
        const args = [ap + lo * MR * k * 4, bp, cp + lo * MR * ldc, rows, nb, k, ldc, nc];
        for (let i = 0; i < args.length; i++) control[base + ARGS + i] = args[i]!;
        seqs.push(Atomics.add(control, base + SEQ, 1) + 1);
        Atomics.notify(control, base + SEQ);
      }
      gemmBlocks(gemm, ap, bp, cp, Math.min(per, mb), nb, k, ldc, nc);
      for (let t = 1; t < parts; t++) {
        const base = (t - 1) * SLOT;
        const view = control.subarray(base, base + SLOT);
        let waited = 0;
        while (Atomics.load(view, DONE) !== seqs[t - 1]) {
          if (Atomics.wait(view, DONE, Atomics.load(view, DONE), 1000) === 'timed-out' && ++waited >= 60) {
            throw new BackendError('matmul: a CPU worker thread did not answer within 60 s');
          }
        }
        if (Atomics.load(view, ERROR) !== 0) throw new BackendError('matmul: the WebAssembly kernel failed in a CPU worker thread');
      }
    },
  };
}

/** How many threads large matmuls will use (1 where worker threads are unavailable or disabled), without starting them. */
export function gemmThreadCount(): number {
  if (pool !== undefined) return pool?.threads ?? 1;
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (proc?.getBuiltinModule === undefined || typeof SharedArrayBuffer === 'undefined') return 1;
  try {
    return Math.max(1, threadCount(proc));
  } catch {
    return 1;
  }
}

/** The thread pool, created on first use; null where threads are unavailable or disabled. */
export function threadedGemm(): ThreadedGemm | null {
  if (pool === undefined) {
    try {
      pool = createPool();
    } catch (err) {
      pool = null;
      if (err instanceof BackendError) throw err;
    }
  }
  return pool;
}

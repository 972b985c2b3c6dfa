import { BackendError } from '../../errors.js';
import { emitModule } from './wasm-emitter.js';
import { MR, NR, SHARED_MAX_PAGES } from './wasm-gemm.js';
import { GEMM_STRIDED_SPECS, type GemmStridedFn } from './wasm-gemm-strided.js';

/**
 * The SIMD gemm split over threads. Operands are copied once into a shared
 * WebAssembly memory; each thread then runs the strided micro-kernel on its
 * own range of MR-row panels of C, so no two threads write the same bytes and
 * the sums are the same, bit for bit, as with one thread. Workers wait on an
 * atomic sequence number (no message passing on the hot path). Node only:
 * elsewhere, or with RHEO_CPU_THREADS=1, the single-threaded kernel runs.
 */

/** The strided kernels (and the packing of a transposed B) on an imported shared memory. */
export const sharedGemmModuleBytes: Uint8Array<ArrayBuffer> = emitModule(GEMM_STRIDED_SPECS, 1, SHARED_MAX_PAGES);
const KERNEL_NAMES = GEMM_STRIDED_SPECS.map((f) => f.name);

/**
 * One strided product over `mb` row panels: the kernel (its index among the
 * module's functions) and its arguments (wasm-gemm-strided.ts), byte
 * addresses, plus `nc`, the column panels per call (the GEBP loop).
 */
export interface StridedJob {
  readonly fn: number;
  readonly args: readonly [a: number, b: number, c: number, mb: number, nb: number, k: number, ldc: number,
    aps: number, ars: number, ais: number, bps: number, bjs: number];
  readonly nc: number;
}

/** Runs a job's kernel over blocks of `nc` column panels, B and C advancing by one block, A fixed. */
export function stridedBlocks(fn: GemmStridedFn, job: StridedJob): void {
  const [a, b, c, mb, nb, k, ldc, aps, ars, ais, bps, bjs] = job.args;
  for (let j0 = 0; j0 < nb; j0 += job.nc) fn(a, b + j0 * bjs, c + j0 * NR * 4, mb, Math.min(job.nc, nb - j0), k, ldc, aps, ars, ais, bps, bjs);
}

// Control words per worker: [sequence, done, error, fn, 12 kernel arguments, nc].
const SLOT = 20;
const SEQ = 0, DONE = 1, ERROR = 2, FN = 3, ARGS = 4, NC = 16;

// CommonJS, run with { eval: true }; mirrors stridedBlocks.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control, slot, names } = workerData;
const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const fns = names.map((n) => ex[n]);
const c = new Int32Array(control, slot * ${SLOT * 4}, ${SLOT});
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  seen = Atomics.load(c, ${SEQ});
  try {
    const fn = fns[c[${FN}]], nc = c[${NC}];
    const [a, b, cp, mb, nb, k, ldc, aps, ars, ais, bps, bjs] = c.subarray(${ARGS}, ${ARGS + 12});
    for (let j0 = 0; j0 < nb; j0 += nc) fn(a, b + j0 * bjs, cp + j0 * ${NR * 4}, mb, Math.min(nc, nb - j0), k, ldc, aps, ars, ais, bps, bjs);
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
  /** The module's functions on the main thread, by name. */
  readonly kernel: (name: string) => (...args: number[]) => void;
  /** stridedBlocks over the job's mb row panels, split across the threads. */
  run(job: StridedJob): void;
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
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
  const control = new Int32Array(new SharedArrayBuffer(SLOT * 4 * (threads - 1)));
  for (let slot = 0; slot < threads - 1; slot++) {
    const worker = new wt.Worker(WORKER_SOURCE, {
      eval: true, workerData: { bytes: sharedGemmModuleBytes, memory, control: control.buffer, slot, names: KERNEL_NAMES },
    });
    // Idle workers block in Atomics.wait; they must not keep the process alive.
    worker.unref();
  }
  return {
    memory,
    threads,
    kernel: (name) => ex[name]!,
    run(job) {
      const [a, , c, mb, , , ldc, , , ais] = job.args;
      const parts = Math.min(threads, mb);
      const per = Math.ceil(mb / parts);
      const seqs: number[] = [];
      // Panel i starts at a + i·ais in A and at c + i·MR·ldc in C.
      const share = (lo: number): StridedJob['args'] => {
        const x = [...job.args] as [number, number, number, number, number, number, number, number, number, number, number, number];
        [x[0], x[2], x[3]] = [a + lo * ais, c + lo * MR * ldc, Math.min(per, mb - lo)];
        return x;
      };
      for (let t = 1; t < parts; t++) {
        const base = (t - 1) * SLOT;
        control[base + FN] = job.fn;
        control.set(share(t * per), base + ARGS);
        control[base + NC] = job.nc;
        seqs.push(Atomics.add(control, base + SEQ, 1) + 1);
        Atomics.notify(control, base + SEQ);
      }
      stridedBlocks(ex[KERNEL_NAMES[job.fn]!] as GemmStridedFn, { ...job, args: share(0) });
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

/** Index of a strided kernel in the shared module, for StridedJob.fn. */
export const kernelIndex = (name: string): number => KERNEL_NAMES.indexOf(name);

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

/**
 * Whether the next large product should go to the threads, chosen by
 * measurement: the time per multiply-add of recent large products on each
 * path is kept as a moving average, and the faster path is taken, the slower
 * one re-tried every PROBE_EVERY-th product so a change of load is noticed.
 * On a machine shared with other work two threads win only while a core is
 * idle (at a load average of 2.5 to 4 on 2 cores, 1024×256·256×256 took 2.0
 * to 4.7 ms on two threads, 3.2 to 3.5 ms on one); the choice follows that.
 * Both paths give the same bits, so results never depend on it.
 */
export function preferThreads(): boolean {
  const n = ++choices;
  if (nsPerMac.threaded === 0) return true;
  if (nsPerMac.single === 0) return false;
  const threadedFaster = nsPerMac.threaded < nsPerMac.single;
  return n % PROBE_EVERY === 0 ? !threadedFaster : threadedFaster;
}

/**
 * Records the wall time per multiply-add of a large product on either path
 * (see preferThreads). The pool's first product is not counted: it waits for
 * the workers to start and compile their module.
 */
export function recordLargeGemm(threaded: boolean, ns: number): void {
  if (threaded && !poolWarm) {
    poolWarm = true;
    return;
  }
  const key = threaded ? 'threaded' : 'single';
  nsPerMac[key] = nsPerMac[key] === 0 ? ns : 0.75 * nsPerMac[key] + 0.25 * ns;
}

const PROBE_EVERY = 8;
const nsPerMac = { threaded: 0, single: 0 };
let choices = 0, poolWarm = false;

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

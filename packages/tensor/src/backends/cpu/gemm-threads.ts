import { BackendError } from '../../errors.js';
import { emitModule } from './wasm-emitter.js';
import { MR, NR, SHARED_MAX_PAGES } from './wasm-gemm.js';
import { GEMM_STRIDED_SPECS, type GemmStridedFn } from './wasm-gemm-strided.js';

/**
 * The SIMD gemm split over threads. What a worker reads is copied into a
 * shared WebAssembly memory (all operands, `run`; or only the worker's rows,
 * `post`/`join` from gemm-split-product.ts); each thread then runs the
 * strided micro-kernel on its own range of MR-row panels of C, so no two
 * threads write the same bytes and the sums are the same, bit for bit, as
 * with one thread. Workers wait on an atomic sequence number (no message
 * passing on the hot path). Node only: elsewhere, or with RHEO_CPU_THREADS=1,
 * the single-threaded kernel runs.
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
  /**
   * Run the last column panel (a partial one) first, over every row panel,
   * then the others: its tiles' extra columns land on the first columns of
   * the next row, which the other panels store after it (as inArenaGemm does
   * with C in place), so C may have row stride n.
   */
  readonly lastFirst?: boolean;
}

/** A packing run by a worker before its job: a packing function's index among the module's functions and its arguments (wasm-gemm-strided.ts). */
export interface PackStep {
  readonly fn: number;
  readonly args: readonly number[];
}

/** Runs a job's kernel over blocks of `nc` column panels, B and C advancing by one block, A fixed. */
export function stridedBlocks(fn: GemmStridedFn, job: StridedJob): void {
  const [a, b, c, mb, nb, k, ldc, aps, ars, ais, bps, bjs] = job.args;
  let full = nb;
  if (job.lastFirst === true && nb > 0) fn(a, b + (full = nb - 1) * bjs, c + full * NR * 4, mb, 1, k, ldc, aps, ars, ais, bps, bjs);
  for (let j0 = 0; j0 < full; j0 += job.nc) fn(a, b + j0 * bjs, c + j0 * NR * 4, mb, Math.min(job.nc, full - j0), k, ldc, aps, ars, ais, bps, bjs);
}

/**
 * How long the main thread spins on a worker's `done` word (ms) before it
 * blocks in Atomics.wait: the worker has as much work as this thread had, so
 * it is usually about to finish. Workers do not spin between products: they
 * block in Atomics.wait at once, and waking one took 9 µs (median; p90
 * 13 µs) on a 2-core machine, where a spinning one saw the store within
 * 0.2 µs. A worker spinning 0.5 ms after each product saved that much per
 * product, but in a SAEF training step (89 products large enough for the
 * threads, 60 to 650 µs apart) it burnt 10 to 14 ms of CPU per step, and on
 * a machine whose cores are taken by other work it slowed the main thread
 * and was descheduled in the middle of products it had taken.
 */
const JOIN_SPIN_MS = 0.5;

// Control words per worker: [sequence, done, error, fn, 12 kernel arguments, nc, lastFirst, pack fn (-1: none),
// 5 pack arguments, claim]. A job is run by whoever first moves `claim` from its sequence number - 1 to
// its own: the worker when it wakes, or the main thread, which takes back a job the worker has not started.
const SLOT = 25;
const SEQ = 0, DONE = 1, ERROR = 2, FN = 3, ARGS = 4, NC = 16, LAST = 17, PACK = 18, CLAIM = 24;

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
  if (Atomics.compareExchange(c, ${CLAIM}, seen - 1, seen) === seen - 1) try {
    if (c[${PACK}] >= 0) fns[c[${PACK}]](c[${PACK + 1}], c[${PACK + 2}], c[${PACK + 3}], c[${PACK + 4}], c[${PACK + 5}]);
    const fn = fns[c[${FN}]], nc = c[${NC}];
    const a = c[${ARGS}], b = c[${ARGS + 1}], cp = c[${ARGS + 2}], mb = c[${ARGS + 3}], nb = c[${ARGS + 4}], k = c[${ARGS + 5}];
    const ldc = c[${ARGS + 6}], aps = c[${ARGS + 7}], ars = c[${ARGS + 8}], ais = c[${ARGS + 9}], bps = c[${ARGS + 10}], bjs = c[${ARGS + 11}];
    let full = nb;
    if (c[${LAST}] && nb > 0) fn(a, b + (full = nb - 1) * bjs, cp + full * ${NR * 4}, mb, 1, k, ldc, aps, ars, ais, bps, bjs);
    for (let j0 = 0; j0 < full; j0 += nc) fn(a, b + j0 * bjs, cp + j0 * ${NR * 4}, mb, Math.min(nc, full - j0), k, ldc, aps, ars, ais, bps, bjs);
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
  /**
   * Hands one job (after an optional packing) to the first worker and returns
   * at once; `join` waits for it. The caller works meanwhile and must not
   * post again before joining.
   */
  post(job: StridedJob, pack?: PackStep): void;
  /**
   * Waits for the posted job: a short spin, then a blocking wait; or, where
   * the worker has not started it (asleep, or waiting for a core on a busy
   * machine), runs it on this thread (its packing too). True where the
   * worker ran it.
   */
  join(): boolean;
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
  const seqs = new Array<number>(threads - 1).fill(0);
  const post = (slot: number, job: StridedJob, pack?: PackStep) => {
    const base = slot * SLOT;
    control[base + FN] = job.fn;
    control.set(job.args, base + ARGS);
    control[base + NC] = job.nc;
    control[base + LAST] = job.lastFirst === true ? 1 : 0;
    control[base + PACK] = pack?.fn ?? -1;
    if (pack !== undefined) control.set(pack.args, base + PACK + 1);
    seqs[slot] = Atomics.add(control, base + SEQ, 1) + 1;
    Atomics.notify(control, base + SEQ);
  };
  const join = (slot: number, job: StridedJob, pack?: PackStep) => {
    const view = control.subarray(slot * SLOT, (slot + 1) * SLOT), seq = seqs[slot]!;
    // Not started (the worker is asleep or waits for a core): this thread runs it instead.
    if (Atomics.compareExchange(view, CLAIM, seq - 1, seq) === seq - 1) {
      if (pack !== undefined) ex[KERNEL_NAMES[pack.fn]!]!(...pack.args);
      stridedBlocks(ex[KERNEL_NAMES[job.fn]!] as GemmStridedFn, job);
      return false;
    }
    const until = performance.now() + JOIN_SPIN_MS;
    for (let spins = 0; Atomics.load(view, DONE) !== seq && (++spins & 63 || performance.now() < until););
    let waited = 0;
    while (Atomics.load(view, DONE) !== seq) {
      if (Atomics.wait(view, DONE, Atomics.load(view, DONE), 1000) === 'timed-out' && ++waited >= 60) {
        throw new BackendError('matmul: a CPU worker thread did not answer within 60 s');
      }
    }
    if (Atomics.load(view, ERROR) !== 0) throw new BackendError('matmul: the WebAssembly kernel failed in a CPU worker thread');
    return true;
  };
  let posted: [StridedJob, PackStep | undefined] | null = null;
  return {
    memory,
    threads,
    kernel: (name) => ex[name]!,
    post(job, pack) {
      posted = [job, pack];
      post(0, job, pack);
    },
    join() {
      const [job, pack] = posted!;
      posted = null;
      return join(0, job, pack);
    },
    run(job) {
      const [a, , c, mb, , , ldc, , , ais] = job.args;
      const parts = Math.min(threads, mb);
      const per = Math.ceil(mb / parts);
      // Panel i starts at a + i·ais in A and at c + i·MR·ldc in C.
      const share = (lo: number): StridedJob['args'] => {
        const x = [...job.args] as [number, number, number, number, number, number, number, number, number, number, number, number];
        [x[0], x[2], x[3]] = [a + lo * ais, c + lo * MR * ldc, Math.min(per, mb - lo)];
        return x;
      };
      const jobs = Array.from({ length: parts - 1 }, (_, t) => ({ ...job, args: share((t + 1) * per) }));
      jobs.forEach((x, t) => post(t, x));
      stridedBlocks(ex[KERNEL_NAMES[job.fn]!] as GemmStridedFn, { ...job, args: share(0) });
      jobs.forEach((x, t) => join(t, x));
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

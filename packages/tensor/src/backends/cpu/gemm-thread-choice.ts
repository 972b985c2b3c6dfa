/**
 * Whether the next product should go to the worker threads, chosen by
 * measurement, per size class: products of about the same number of
 * multiply-adds (one class per octave, ⌊log2(m·n·k)⌋, and per transposed
 * operand: a transposed A costs the threads a copy of all of it) keep a moving average
 * of the wall time per multiply-add on each path, and the faster path is
 * taken, the slower one re-tried every PROBE_EVERY-th product of the class
 * so a change of load is noticed. Classes are separate because the threads'
 * fixed costs (operand copies, waking a worker) weigh on a 2^19-MAC product
 * (about 25 µs at one thread) as they do not on a 2^26 one. On a machine
 * shared with other work two threads win only while a core is idle (at a
 * load average of 2.5 to 4 on 2 cores, 1024×256·256×256 took 2.0 to 4.7 ms
 * on two threads, 3.2 to 3.5 ms on one); the choice follows that. Both paths
 * give the same bits, so results never depend on it.
 */
export function preferThreads(work: number, transA = false, transB = false): boolean {
  const s = classOf(work, transA, transB);
  const n = ++s.choices;
  if (s.threaded === 0) return true;
  if (s.single === 0) return false;
  const threadedFaster = s.threaded < s.single;
  return n % PROBE_EVERY === 0 ? !threadedFaster : threadedFaster;
}

/**
 * Records the wall time per multiply-add (ns) of a product of `work`
 * multiply-adds on either path (see preferThreads). The pool's first product
 * is not counted: it waits for the workers to start and compile their
 * module. A time more than OUTLIER times the class's average (a collection
 * or a preemption inside a 30 µs product) counts as that bound, so one
 * pause does not flip the choice for the next dozen products.
 */
export function recordGemm(threaded: boolean, work: number, ns: number, transA = false, transB = false): void {
  if (threaded && !poolWarm) {
    poolWarm = true;
    return;
  }
  const s = classOf(work, transA, transB);
  const key = threaded ? 'threaded' : 'single';
  const avg = s[key];
  s[key] = avg === 0 ? ns : 0.75 * avg + 0.25 * Math.min(ns, OUTLIER * avg);
}

interface SizeClass { threaded: number; single: number; choices: number }

const PROBE_EVERY = 8;
const OUTLIER = 4;
const classes = new Map<number, SizeClass>();
let poolWarm = false;

function classOf(work: number, transA: boolean, transB: boolean): SizeClass {
  const c = 4 * Math.floor(Math.log2(work)) + (transA ? 2 : 0) + (transB ? 1 : 0);
  let s = classes.get(c);
  if (s === undefined) classes.set(c, (s = { threaded: 0, single: 0, choices: 0 }));
  return s;
}

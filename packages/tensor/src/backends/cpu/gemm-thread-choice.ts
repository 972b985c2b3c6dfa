/** How the next product runs: on one thread or split with a worker, as the path that measured faster or as a probe of the other one. */
export type ThreadChoice = 'one' | 'threads' | 'probe-one' | 'probe-threads';

/**
 * The choice for the next product, by measurement, per size class: products
 * of about the same number of multiply-adds (one class per octave,
 * ⌊log2(m·n·k)⌋, and per transposed operand: a transposed A costs the
 * threads a copy of all of it) keep a moving average of the wall time per
 * multiply-add on each path. The faster path is taken and the slower one
 * probed every `every`-th product of the class: 8 at first, twice as many
 * after each probe that still loses (up to 64), so a path that keeps
 * losing costs little, and 8 again once the faster path changes. Classes
 * are separate because the threads' fixed costs (copies, a worker's wake)
 * weigh on a 2^19-MAC product (about 25 µs at one thread) as they do not on
 * a 2^26 one. On a machine shared with other work two threads win only while
 * a core is idle: with both cores busy, a split product waits for the
 * worker's time slice (4 ms medians were seen), and the averages follow
 * that. Both paths give the same bits, so results never depend on it.
 */
export function preferThreads(work: number, transA = false, transB = false): ThreadChoice {
  const s = classOf(work, transA, transB);
  const n = ++s.choices;
  if (s.threaded === 0) return 'probe-threads';
  if (s.single === 0) return 'probe-one';
  const threadedFaster = s.threaded < s.single;
  if (n < s.nextProbe) return threadedFaster ? 'threads' : 'one';
  s.nextProbe = n + s.every;
  s.probing = true;
  return threadedFaster ? 'probe-one' : 'probe-threads';
}

/**
 * Records the wall time per multiply-add (ns) of a product of `work`
 * multiply-adds on either path (see preferThreads). The pool's first product
 * is not counted: it waits for the workers to start and compile their
 * module. Times enter the average as they are, stalls included: a split
 * product that waits 4 ms for a worker costs that much. A probe's time
 * replaces the probed path's average (measured only at probes, it is stale),
 * so one probe can switch the choice.
 */
export function recordGemm(threaded: boolean, work: number, ns: number, transA = false, transB = false): void {
  if (threaded && !poolWarm) {
    poolWarm = true;
    return;
  }
  const s = classOf(work, transA, transB);
  const wasFaster = s.threaded < s.single;
  const key = threaded ? 'threaded' : 'single';
  if (s.probing) {
    // The probed path's average is as old as its last probe: the new time replaces it.
    s[key] = ns;
    s.probing = false;
    s.every = (s.threaded < s.single) === wasFaster ? Math.min(2 * s.every, MAX_EVERY) : PROBE_EVERY;
    s.nextProbe = s.choices + s.every;
  } else s[key] = s[key] === 0 ? ns : 0.75 * s[key] + 0.25 * ns;
}

interface SizeClass { threaded: number; single: number; choices: number; nextProbe: number; every: number; probing: boolean }

const PROBE_EVERY = 8;
const MAX_EVERY = 64;
const classes = new Map<number, SizeClass>();
let poolWarm = false;

function classOf(work: number, transA: boolean, transB: boolean): SizeClass {
  const c = 4 * Math.floor(Math.log2(work)) + (transA ? 2 : 0) + (transB ? 1 : 0);
  let s = classes.get(c);
  if (s === undefined) classes.set(c, (s = { threaded: 0, single: 0, choices: 0, nextProbe: PROBE_EVERY, every: PROBE_EVERY, probing: false }));
  return s;
}

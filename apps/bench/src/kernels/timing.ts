import { stepTime } from '@rheo/eval';

/** Median wall time in ms of `repeats` calls of fn after `warmup` untimed calls (@rheo/eval's stepTime). */
export async function medianMs(fn: () => unknown, warmup: number, repeats: number): Promise<number> {
  return (await stepTime(fn, { warmup, repeats })).medianMs;
}

/** Wall and CPU time of one call, in ms. */
export interface CallTime {
  /** Median wall time. */
  readonly wallMs: number;
  /**
   * Mean CPU time of this process (user + system, every thread) per call:
   * time spent descheduled on a shared machine does not count, so it is
   * steadier than wall time under load; worker threads and the collector's
   * background threads do count.
   */
  readonly cpuMs: number;
}

/**
 * Median wall time and mean CPU time of one call, from `repeats` samples after
 * `warmup` untimed calls. Each sample times `batch` calls in a row (default 1)
 * and divides by `batch`, so an op of a few microseconds is not timed one
 * call at a time against the clock's own cost; PyTorch's side
 * (../peer/torch_peer.py, `median_us`) samples the same way. A function that
 * returns a promise is awaited; one that does not is called back to back, as
 * a synchronous loop would call it, with no turn of the event loop between calls.
 */
export async function callTime(fn: () => unknown, warmup: number, repeats: number, batch = 1): Promise<CallTime> {
  const call = (): unknown => {
    const r = fn();
    return r instanceof Promise ? r : undefined;
  };
  for (let i = 0; i < warmup; i++) { const p = call(); if (p) await p; }
  const walls: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) { const p = call(); if (p) await p; }
    walls.push((performance.now() - t0) / batch);
  }
  const c = process.cpuUsage(c0);
  walls.sort((a, b) => a - b);
  return { wallMs: walls[Math.floor(walls.length / 2)]!, cpuMs: (c.user + c.system) / 1000 / (repeats * batch) };
}

/** Deterministic values in [-scale, scale) (a linear congruential generator; bench inputs only). */
export function values(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

import { stepTime } from '@rheo/eval';

/** Median wall time in ms of `repeats` calls of fn after `warmup` untimed calls (@rheo/eval's stepTime). */
export async function medianMs(fn: () => unknown, warmup: number, repeats: number): Promise<number> {
  return (await stepTime(fn, { warmup, repeats })).medianMs;
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

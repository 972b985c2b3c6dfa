import { ArgumentError } from '@rheo/tensor';

/**
 * About `count` round tick values covering [lo, hi]: the step is 1, 2 or 5
 * times a power of ten (Heckbert 1990, "Nice numbers for graph labels",
 * Graphics Gems). Returns the widened domain too, so the ticks fill the axis.
 */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; lo: number; hi: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new ArgumentError(`niceTicks(lo, hi): expected finite bounds, received ${lo}, ${hi}`);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  const a = Math.floor(lo / step + 1e-9);
  const b = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = a; i <= b; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { ticks, lo: a * step, hi: b * step };
}

import { ArgumentError, ShapeError, show } from './errors.js';

/** The size of each axis of a tensor; `[]` is a scalar. */
export type Shape = readonly number[];

/** The number of entries of a shape: the product of its sizes (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The most elements a shape may describe: V8 typed arrays hold at most 2^32 − 1. */
export const MAX_SHAPE_SIZE = 2 ** 32 - 1;

export function checkShape(shape: unknown, arg: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(`${arg}: expected a shape (array of non-negative integers), received ${show(shape)}`);
  }
  const size = sizeOf(shape as number[]);
  if (size > MAX_SHAPE_SIZE) {
    throw new ArgumentError(`${arg}: shape ${show(shape)} has ${size} elements; expected at most ${MAX_SHAPE_SIZE} (2^32 - 1, the longest typed array)`);
  }
  return shape as number[];
}

/** NumPy broadcasting of two or more shapes; throws a ShapeError naming the op. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i]!;
      const o = out[j]!;
      if (o === d || d === 1) continue;
      if (o === 1) out[j] = d;
      else {
        throw new ShapeError(
          `${op}: shapes ${shapes.map((x) => show(x)).join(' and ')} cannot be broadcast together ` +
            `(axis ${j - rank} has sizes ${o} and ${d}; expected equal sizes or 1)`,
        );
      }
    }
  }
  return out;
}

/** Normalises possibly negative axes against a rank; rejects duplicates and out-of-range axes. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out: number[] = [];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ArgumentError(`${op}: axis ${show(a)} is out of range for a tensor of rank ${rank} (expected an integer in [${-rank}, ${rank - 1}])`);
    }
    const n = a < 0 ? a + rank : a;
    if (out.includes(n)) throw new ArgumentError(`${op}: axis ${a} appears twice in ${show(list)}`);
    out.push(n);
  }
  return out.sort((x, y) => x - y);
}

export function normalizeAxis(op: string, axis: number, rank: number): number {
  return normalizeAxes(op, axis, rank)[0]!;
}

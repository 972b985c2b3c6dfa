/**
 * Float64 reference semantics of the primitives, written as plain index
 * arithmetic over multi-indices (no strides tricks, no shared code with the
 * kernels), so that a kernel and its reference can only agree by being right.
 */

/** A dense row-major float64 array. */
export interface Ref {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function ref(shape: readonly number[], data: ArrayLike<number>): Ref {
  return { shape: [...shape], data: Float64Array.from(data) };
}

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d]! + idx[d]!;
  return i;
}

function build(shape: readonly number[], at: (idx: number[]) => number): Ref {
  const n = sizeOfShape(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = at(unravel(i, shape));
  return { shape: [...shape], data };
}

/** NumPy broadcasting: align right, size-1 axes stretch. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let k = 0; k < r; k++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - r + k] ?? 1;
      if (v !== 1) {
        if (d !== 1 && d !== v) throw new Error(`reference: shapes do not broadcast`);
        d = v;
      }
    }
    out.push(d);
  }
  return out;
}

function readBroadcast(x: Ref, idx: readonly number[]): number {
  const lead = idx.length - x.shape.length;
  const own = x.shape.map((d, k) => (d === 1 ? 0 : idx[lead + k]!));
  return x.data[ravel(own, x.shape)]!;
}

export function map(x: Ref, f: (v: number) => number): Ref {
  return { shape: [...x.shape], data: x.data.map(f) };
}

export function zip(a: Ref, b: Ref, f: (a: number, b: number) => number): Ref {
  return build(broadcastShape(a.shape, b.shape), (i) => f(readBroadcast(a, i), readBroadcast(b, i)));
}

export function select(c: Ref, a: Ref, b: Ref): Ref {
  return build(broadcastShape(c.shape, a.shape, b.shape), (i) => (readBroadcast(c, i) !== 0 ? readBroadcast(a, i) : readBroadcast(b, i)));
}

export function broadcastTo(x: Ref, shape: readonly number[]): Ref {
  return build(shape, (i) => readBroadcast(x, i));
}

/** Sum or max over `axes` (all when empty list is not given). */
export function reduce(x: Ref, axes: readonly number[], keepDims: boolean, kind: 'sum' | 'max'): Ref {
  const keptShape = x.shape.map((d, k) => (axes.includes(k) ? 1 : d));
  const acc = new Float64Array(sizeOfShape(keptShape)).fill(kind === 'sum' ? 0 : -Infinity);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((v, k) => (axes.includes(k) ? 0 : v));
    const o = ravel(idx, keptShape);
    acc[o] = kind === 'sum' ? acc[o]! + x.data[i]! : Math.max(acc[o]!, x.data[i]!);
  }
  const shape = keepDims ? keptShape : x.shape.filter((_, k) => !axes.includes(k));
  return { shape, data: acc };
}

/** Batched op(A)·op(B) over the last two axes, batch axes broadcast. */
export function matmul(a: Ref, b: Ref, transposeA = false, transposeB = false): Ref {
  const ra = a.shape.length, rb = b.shape.length;
  const [m, k] = transposeA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const aBatch = { shape: a.shape.slice(0, -2), data: new Float64Array(0) };
  const bBatch = { shape: b.shape.slice(0, -2), data: new Float64Array(0) };
  const at = (x: Ref, own: Ref, bi: readonly number[], r: number, c: number, t: boolean): number => {
    const lead = bi.length - own.shape.length;
    const ob = own.shape.map((d, q) => (d === 1 ? 0 : bi[lead + q]!));
    const rc = t ? [c, r] : [r, c];
    return x.data[ravel([...ob, ...rc], x.shape)]!;
  };
  return build([...batch, m, n], (idx) => {
    const bi = idx.slice(0, -2);
    const i = idx[idx.length - 2]!, j = idx[idx.length - 1]!;
    let s = 0;
    for (let q = 0; q < k; q++) s += at(a, aBatch, bi, i, q, transposeA) * at(b, bBatch, bi, q, j, transposeB);
    return s;
  });
}

export function reshape(x: Ref, shape: readonly number[]): Ref {
  return { shape: [...shape], data: x.data.slice() };
}

export function permute(x: Ref, perm: readonly number[]): Ref {
  return build(perm.map((p) => x.shape[p]!), (i) => {
    const src = new Array<number>(perm.length);
    perm.forEach((p, k) => (src[p] = i[k]!));
    return x.data[ravel(src, x.shape)]!;
  });
}

export function slice(x: Ref, begin: readonly number[], size: readonly number[]): Ref {
  return build(size, (i) => x.data[ravel(i.map((v, k) => v + begin[k]!), x.shape)]!);
}

export function pad(x: Ref, paddings: readonly (readonly [number, number])[], value: number): Ref {
  const shape = x.shape.map((d, k) => d + paddings[k]![0] + paddings[k]![1]);
  return build(shape, (i) => {
    const src = i.map((v, k) => v - paddings[k]![0]);
    return src.every((v, k) => v >= 0 && v < x.shape[k]!) ? x.data[ravel(src, x.shape)]! : value;
  });
}

export function concat(xs: readonly Ref[], axis: number): Ref {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  return build(shape, (i) => {
    let v = i[axis]!;
    for (const x of xs) {
      if (v < x.shape[axis]!) {
        const src = [...i];
        src[axis] = v;
        return x.data[ravel(src, x.shape)]!;
      }
      v -= x.shape[axis]!;
    }
    throw new Error('reference concat: index out of range');
  });
}

export function gather(x: Ref, indices: Ref, axis: number): Ref {
  const ir = indices.shape.length;
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  return build(shape, (i) => {
    const j = i.slice(axis, axis + ir);
    const src = [...i.slice(0, axis), indices.data[ravel(j, indices.shape)]!, ...i.slice(axis + ir)];
    return x.data[ravel(src, x.shape)]!;
  });
}

export function scatterAdd(u: Ref, indices: Ref, axis: number, size: number): Ref {
  const ir = indices.shape.length;
  const shape = [...u.shape.slice(0, axis), size, ...u.shape.slice(axis + ir)];
  const out = new Float64Array(sizeOfShape(shape));
  for (let q = 0; q < u.data.length; q++) {
    const i = unravel(q, u.shape);
    const j = i.slice(axis, axis + ir);
    const dst = [...i.slice(0, axis), indices.data[ravel(j, indices.shape)]!, ...i.slice(axis + ir)];
    out[ravel(dst, shape)]! += u.data[q]!;
  }
  return { shape, data: out };
}

/** log Σ exp over `axes`, shifted by the maximum (exact in float64 for the inputs used). */
export function logsumexp(x: Ref, axes: readonly number[], keepDims: boolean): Ref {
  const m = reduce(x, axes, true, 'max');
  const e = zip(x, m, (v, mv) => Math.exp(v - mv));
  const s = reduce(e, axes, true, 'sum');
  const out = zip(s, m, (sv, mv) => Math.log(sv) + mv);
  return keepDims ? out : { shape: x.shape.filter((_, k) => !axes.includes(k)), data: out.data };
}

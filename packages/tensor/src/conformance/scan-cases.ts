import { cumsum } from '../ops/cumsum.js';
import { scatterAddAlongAxis } from '../ops/scatter-add-along-axis.js';
import { searchsorted } from '../ops/searchsorted.js';
import { takeAlongAxis } from '../ops/take-along-axis.js';
import type { PrimitiveCase } from './case.js';
import { type Ref, sizeOfShape } from './reference.js';

/*
 * Brute-force references: every output entry recomputed from its definition
 * (a sum over the entries it covers, a count over all edges, a row lookup),
 * with no running state shared with the kernels' scans and binary searches.
 */

function cumsumRef(x: Ref, axis: number, exclusive: boolean, reverse: boolean): Ref {
  const s = x.shape;
  const n = s[axis]!;
  const inner = sizeOfShape(s.slice(axis + 1));
  const data = new Float64Array(x.data.length);
  for (let p = 0; p < data.length; p++) {
    const i = Math.floor(p / inner) % n;
    const lineStart = p - i * inner;
    let acc = 0;
    for (let j = 0; j < n; j++) {
      const covered = reverse ? (exclusive ? j > i : j >= i) : exclusive ? j < i : j <= i;
      if (covered) acc += x.data[lineStart + j * inner]!;
    }
    data[p] = acc;
  }
  return { shape: [...s], data };
}

function searchsortedRef(edges: Ref, values: Ref, right: boolean): Ref {
  const nE = edges.shape[edges.shape.length - 1]!;
  const m = values.shape[values.shape.length - 1]!;
  const shared = edges.shape.length === 1;
  const data = values.data.map((v, i) => {
    if (Number.isNaN(v)) return nE;
    const row = shared ? 0 : Math.floor(i / m);
    let count = 0;
    for (let k = 0; k < nE; k++) {
      const e = edges.data[row * nE + k]!;
      if (right ? e <= v : e < v) count++;
    }
    return count;
  });
  return { shape: [...values.shape], data };
}

function takeRef(x: Ref, idx: Ref): Ref {
  const k = x.shape[x.shape.length - 1]!;
  const m = idx.shape[idx.shape.length - 1]!;
  return { shape: [...idx.shape], data: idx.data.map((c, i) => x.data[Math.floor(i / m) * k + c]!) };
}

function scatterRef(u: Ref, idx: Ref, size: number): Ref {
  const m = idx.shape[idx.shape.length - 1]!;
  const shape = [...u.shape.slice(0, -1), size];
  const data = new Float64Array(sizeOfShape(shape));
  for (let p = 0; p < data.length; p++) {
    const row = Math.floor(p / size), k = p % size;
    for (let j = 0; j < m; j++) if (idx.data[row * m + j] === k) data[p]! += u.data[row * m + j]!;
  }
  return { shape, data };
}

const scans = ([
  [[3, 4], 1], [[2, 3, 4], 0], [[2, 3, 4], -2], [[5], 0], [[0, 3], 0], [[3, 1], 1],
] as [number[], number][]).flatMap(([shape, axis]) =>
  [[false, false], [true, false], [false, true], [true, true]].map(([exclusive, reverse]): PrimitiveCase => ({
    primitive: 'cumsum',
    label: `cumsum [${shape.join(', ')}] axis ${axis}${exclusive ? ' exclusive' : ''}${reverse ? ' reverse' : ''}`,
    inputs: [{ shape }],
    op: ([x]) => cumsum(x!, axis, { exclusive: exclusive!, reverse: reverse! }),
    reference: ([x]) => cumsumRef(x!, axis < 0 ? axis + shape.length : axis, exclusive!, reverse!),
    wrt: [0],
  })),
);

/** Edges with a repeated 0, probed below, at, between and beyond them, at ±0, ±∞ and NaN. */
const TIE_EDGES = [-1, 0, 0, 1, 2];
const PROBES = [-2, -1, -0.5, -0, 0, 0.5, 1, 1.5, 2, 3, -Infinity, Infinity, NaN, 1e-30];

const searches = [false, true].flatMap((right): PrimitiveCase[] => [
  {
    primitive: 'searchsorted',
    label: `searchsorted shared edges with ties, below/above, ±0, ±∞, NaN${right ? ' right' : ''}`,
    inputs: [{ shape: [5], values: TIE_EDGES }, { shape: [2, 7], values: PROBES }],
    op: ([e, v]) => searchsorted(e!, v!, { right }),
    reference: ([e, v]) => searchsortedRef(e!, v!, right),
    dtype: 'int32',
    atol: 0,
    rtol: 0,
  },
  {
    // Row r's values are searched in row r's edges only: row 1 holds row 0's edges shifted by 10.
    primitive: 'searchsorted',
    label: `searchsorted batched edges [2, 2, 5] per row${right ? ' right' : ''}`,
    inputs: [
      { shape: [2, 2, 5], values: [...TIE_EDGES, ...TIE_EDGES.map((e) => e + 10), ...TIE_EDGES.map((e) => e * 2), -3, -3, -3, 4, 4] },
      { shape: [2, 2, 3], values: [0, 2, 11, 10, 10.5, 0, 0, 4, -5, -3, 4, 5] },
    ],
    op: ([e, v]) => searchsorted(e!, v!, { right }),
    reference: ([e, v]) => searchsortedRef(e!, v!, right),
    dtype: 'int32',
    atol: 0,
    rtol: 0,
  },
  {
    primitive: 'searchsorted',
    label: `searchsorted random sorted edges [3, 9], 40 values per row${right ? ' right' : ''}`,
    inputs: [
      { shape: [3, 9], values: Array.from({ length: 27 }, (_, i) => Math.floor(i / 9) + ((i % 9) - 4) * 0.25) },
      { shape: [3, 40] },
    ],
    op: ([e, v]) => searchsorted(e!, v!, { right }),
    reference: ([e, v]) => searchsortedRef(e!, v!, right),
    dtype: 'int32',
    atol: 0,
    rtol: 0,
  },
  {
    primitive: 'searchsorted',
    label: `searchsorted one edge, and no values${right ? ' right' : ''}`,
    inputs: [{ shape: [1], values: [0.25] }, { shape: [0, 3] }],
    op: ([e, v]) => searchsorted(e!, v!, { right }),
    reference: ([e, v]) => searchsortedRef(e!, v!, right),
    dtype: 'int32',
  },
]);

const alongAxis: PrimitiveCase[] = [
  ...([[[3, 5], [3, 4]], [[2, 3, 4], [2, 3, 2]], [[4, 1], [4, 3]], [[2, 3], [2, 0]]] as [number[], number[]][]).map(([shape, ids]): PrimitiveCase => ({
    primitive: 'takeAlongAxis',
    label: `takeAlongAxis [${shape.join(', ')}] at per-row indices [${ids.join(', ')}]`,
    inputs: [{ shape }, { shape: ids, kind: 'index', max: shape[shape.length - 1]! }],
    op: ([x, i]) => takeAlongAxis(x!, i!),
    reference: ([x, i]) => takeRef(x!, i!),
    wrt: [0],
  })),
  ...([[[3, 4], 5], [[2, 3, 6], 2], [[2, 2], 4], [[1, 0], 3]] as [number[], number][]).map(([shape, size]): PrimitiveCase => ({
    primitive: 'scatterAddAlongAxis',
    label: `scatterAddAlongAxis [${shape.join(', ')}] into rows of ${size}`,
    inputs: [{ shape }, { shape, kind: 'index', max: size }],
    op: ([u, i]) => scatterAddAlongAxis(u!, i!, size),
    reference: ([u, i]) => scatterRef(u!, i!, size),
    wrt: [0],
  })),
  {
    primitive: 'takeAlongAxis',
    label: 'takeAlongAxis int32 rows',
    inputs: [{ shape: [2, 4], kind: 'index', max: 100 }, { shape: [2, 3], kind: 'index', values: [3, 0, 3, 1, 1, 2] }],
    op: ([x, i]) => takeAlongAxis(x!, i!),
    reference: ([x, i]) => takeRef(x!, i!),
    dtype: 'int32',
  },
  {
    primitive: 'cumsum',
    label: 'cumsum int32 [2, 4] axis 1',
    inputs: [{ shape: [2, 4], kind: 'index', max: 1000 }],
    op: ([x]) => cumsum(x!, 1),
    reference: ([x]) => cumsumRef(x!, 1, false, false),
    dtype: 'int32',
  },
];

/** Scans and searches: cumsum, searchsorted, and the per-row gather and its transpose. */
export const SCAN_CASES: readonly PrimitiveCase[] = [...scans, ...searches, ...alongAxis];

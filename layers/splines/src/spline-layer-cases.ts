import { type LayerCase, perturbed, transformerLayer } from '@rheo/flows/testing';
import { concat, key, normal, tensor, type Tensor } from '@rheo/tensor';
import { nextFloat32 } from './spline-checks.js';
import { rationalQuadraticTransformer } from './rational-quadratic-transformer.js';
import { splineAutoregressive } from './spline-autoregressive.js';
import { splineCoupling } from './spline-coupling.js';
import { splineSemiAutoregressive } from './spline-semi-autoregressive.js';

// Test cases shared by the CPU and WebGPU layer tests (not exported by the package).

/** Small splines (5 bins on [−2, 2]), so standard normal inputs reach the tails too. */
export const LAYER_SPLINE = { bins: 5, bound: 2 } as const;
const B = LAYER_SPLINE.bound;

/**
 * The tail bound, its float32 neighbours, just inside, outside and far
 * outside: the points where spline inverses have crashed or returned NaN
 * (nflows issues 62 and 87: negative discriminants; issue 23: batches
 * entirely in the tails).
 */
export const LAYER_TAIL_POINTS: readonly number[] = [
  B, -B, nextFloat32(B, -1), nextFloat32(-B, 1), nextFloat32(B, 1), nextFloat32(-B, -1), B - 1e-4, -B + 1e-4, B + 1, -B - 1, 10, -10,
].map(Math.fround);

/**
 * A batch [n, d] whose rows hold every tail point (each point in every
 * column once, so both the conditioned and the transformed entries meet
 * them), followed by one row entirely at +B, one at −B, and standard normal rows.
 */
export function tailBatch(d: number): Tensor {
  const pts = LAYER_TAIL_POINTS;
  const rows: number[][] = [];
  for (let s = 0; s < pts.length; s++) rows.push(Array.from({ length: d }, (_, j) => pts[(s + j) % pts.length]!));
  rows.push(new Array<number>(d).fill(B), new Array<number>(d).fill(-B));
  return concat([tensor(Float32Array.from(rows.flat()), [rows.length, d]), normal(key(d), [4, d])], 0);
}

/** Rows of `tailBatch` holding tail points (the rest are standard normal). */
export const TAIL_ROWS = LAYER_TAIL_POINTS.length + 2;

/** The three spline layers, conditional on a 2-D context, at perturbed parameters, on batches with tail points. */
export const SPLINE_LAYER_CASES: readonly LayerCase[] = [
  {
    name: 'splineCoupling (d = 5, alternating mask)', d: 5, contextDim: 2, x: () => tailBatch(5), params: perturbed(11, 0.25),
    make: () => splineCoupling(key(1), 5, { mask: 'alternating', hidden: [12], contextDim: 2, ...LAYER_SPLINE }),
  },
  {
    name: 'splineAutoregressive (d = 4, random order)', d: 4, contextDim: 2, x: () => tailBatch(4), params: perturbed(12, 0.25),
    make: () => splineAutoregressive(key(2), 4, { order: 'random', hidden: [16], contextDim: 2, ...LAYER_SPLINE }),
  },
  {
    name: 'splineSemiAutoregressive (d = 5, blocks of 2)', d: 5, contextDim: 2, x: () => tailBatch(5), params: perturbed(13, 0.25),
    make: () => splineSemiAutoregressive(key(3), 5, { blockSize: 2, hidden: [16], contextDim: 2, ...LAYER_SPLINE }),
  },
];

/**
 * The spline alone (`transformerLayer`) at random parameters, each input
 * exactly at one of its row's knots or a float32 neighbour of it: bin
 * edges, where the bin search and the quadratic root switch cases.
 * `knots` and `params` are host arrays: [n, K + 1] abscissae and [n, 3K − 1].
 */
export function binEdgeCase(params: Float32Array, knots: Float32Array, n: number): LayerCase {
  const K = LAYER_SPLINE.bins, P = 3 * K - 1;
  const xs: number[] = [], ps: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= K; k++) {
      const e = knots[i * (K + 1) + k]!;
      for (const v of [e, nextFloat32(e, -1), nextFloat32(e, 1)]) {
        xs.push(v);
        ps.push(...params.subarray(i * P, (i + 1) * P));
      }
    }
  }
  return {
    name: `the spline at its ${(K + 1) * n} knots and their float32 neighbours`, d: 1,
    x: () => tensor(Float32Array.from(xs), [xs.length, 1]),
    make: () => transformerLayer(rationalQuadraticTransformer(LAYER_SPLINE), tensor(Float32Array.from(ps), [xs.length, 1, P])),
  };
}

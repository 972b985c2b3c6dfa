import { tensor, tidy } from '@rheo/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import { splineKnots } from './spline-knots.js';
import { lcg, nextFloat32, randomParams, row, runSpline, splineVjp, useBackend } from './spline-checks.js';
import { resolveSplineOptions } from './spline-options.js';
import { DEFAULTS, referenceForward, referenceInverse, type ReferenceOptions } from './spline-reference.js';

const B = DEFAULTS.bound;

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The float32 knot abscissae (or ordinates) the library computes, row by row. */
async function libraryKnots(p: Float32Array, n: number, which: 'xs' | 'ys', o: ReferenceOptions = DEFAULTS): Promise<Float32Array> {
  const t = tidy(() => splineKnots(tensor(p, [n, 3 * o.bins - 1]), resolveSplineOptions(o))[which]);
  const v = Float32Array.from(await t.data());
  t.dispose();
  return v;
}

/**
 * The tail bound and its float32 neighbours, just inside it, far outside,
 * and ±0: where spline implementations have failed (nflows issue 87:
 * negative discriminants in the inverse; issue 23: batches entirely in the tails).
 */
export const TAIL_POINTS = [B, -B, nextFloat32(B, -1), nextFloat32(-B, 1), nextFloat32(B, 1), nextFloat32(-B, -1), B - 1e-4, -B + 1e-4, B + 1, -B - 1, 1e6, -1e6, 0, -0].map(Math.fround);

/** Every knot of every row as an input to that row, and each knot's float32 neighbours. */
function atKnots(knots: Float32Array, n: number, o: ReferenceOptions): { v: Float32Array; rows: number[] } {
  const v: number[] = [], rows: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= o.bins; k++) {
      const e = knots[i * (o.bins + 1) + k]!;
      for (const u of [e, nextFloat32(e, -1), nextFloat32(e, 1)]) {
        v.push(u);
        rows.push(i);
      }
    }
  }
  return { v: Float32Array.from(v), rows };
}

function paramsOfRows(p: Float32Array, rows: readonly number[], o: ReferenceOptions): Float32Array {
  const q = 3 * o.bins - 1;
  const out = new Float32Array(rows.length * q);
  rows.forEach((r, i) => out.set(p.subarray(r * q, (r + 1) * q), i * q));
  return out;
}

export function describeSplineSuite(backend: string, report: (line: string) => void = () => {}): void {
  describe(`rational-quadratic spline on ${backend}`, () => {
    beforeAll(async () => useBackend(backend));

    /*
     * Errors are scaled by the local conditioning: a float32 evaluation of y
     * = g(x) is off by about g'(x)·ulp(x) plus the rounding of the knots
     * (~1e-7·B), so |Δy| is compared with 1 + g'(x), and |Δx| of the inverse
     * with 1 + 1/g'(x). Raw worst errors are reported beside.
     */
    test.each([3, 6])('forward, inverse and both round trips agree with the float64 reference, parameters in ±%d', async (scale) => {
      const n = 1500;
      const next = lcg(scale);
      const p = randomParams(n, DEFAULTS, scale, 2 * scale);
      const v = Float32Array.from({ length: n }, () => (2 * next() - 1) * (B + 0.5));
      const f = await runSpline('forward', v, p);
      const g = await runSpline('inverse', v, p);
      const back = await runSpline('inverse', f.out, p);
      const there = await runSpline('forward', g.out, p);
      const worst = { y: 0, x: 0, xyx: 0, yxy: 0, logDet: 0, inverseLogDet: 0, raw: [0, 0, 0, 0] };
      for (let i = 0; i < n; i++) {
        const pr = row(p, i, DEFAULTS);
        const r = referenceForward(v[i]!, pr);
        const xr = referenceInverse(v[i]!, pr);
        const dInv = referenceForward(xr, pr).dydx;
        const errs = [Math.abs(f.out[i]! - r.y), Math.abs(g.out[i]! - xr), Math.abs(back.out[i]! - v[i]!), Math.abs(there.out[i]! - v[i]!)];
        worst.y = Math.max(worst.y, errs[0]! / (1 + r.dydx));
        worst.x = Math.max(worst.x, errs[1]! / (1 + 1 / dInv));
        worst.xyx = Math.max(worst.xyx, errs[2]! / (1 + 1 / r.dydx));
        worst.yxy = Math.max(worst.yxy, errs[3]! / (1 + dInv));
        worst.logDet = Math.max(worst.logDet, Math.abs(f.logDet[i]! - Math.log(r.dydx)));
        worst.inverseLogDet = Math.max(worst.inverseLogDet, Math.abs(g.logDet[i]! + Math.log(dInv)));
        worst.raw = worst.raw.map((w, k) => Math.max(w, errs[k]!));
      }
      const e = (v: number) => v.toExponential(1);
      report(`${backend}, parameters in ±${scale}: scaled errors y ${e(worst.y)}, inverse x ${e(worst.x)}, x→y→x ${e(worst.xyx)}, y→x→y ${e(worst.yxy)}; log-det forward ${e(worst.logDet)}, inverse ${e(worst.inverseLogDet)}; raw ${worst.raw.map(e).join(', ')}`);
      expect(worst.y).toBeLessThan(1e-5);
      expect(worst.x).toBeLessThan(1e-5);
      expect(worst.xyx).toBeLessThan(1e-5);
      expect(worst.yxy).toBeLessThan(1e-5);
      // The inverse's log-det is taken at the computed x: its error is (log g')' · Δx, larger where g' varies fast.
      const logTol = scale === 3 ? 1e-3 : 5e-3;
      expect(worst.logDet).toBeLessThan(logTol);
      expect(worst.inverseLogDet).toBeLessThan(logTol);
    });

    test('log-det equals the autodiff derivative and central differences of the float64 map', async () => {
      const n = 300;
      const next = lcg(5);
      const p = randomParams(n, DEFAULTS, 2, 6);
      const x = Float32Array.from({ length: n }, () => (2 * next() - 1) * (B + 0.5));
      const f = await runSpline('forward', x, p);
      const g = await runSpline('inverse', x, p);
      let eAd = 0, eFd = 0, eAdInv = 0;
      for (let i = 0; i < n; i++) {
        const h = 1e-6;
        const pr = row(p, i, DEFAULTS);
        const fd = (referenceForward(x[i]! + h, pr).y - referenceForward(x[i]! - h, pr).y) / (2 * h);
        eAd = Math.max(eAd, Math.abs(Math.log(f.dOut[i]!) - f.logDet[i]!));
        eFd = Math.max(eFd, Math.abs(Math.log(fd) - f.logDet[i]!));
        eAdInv = Math.max(eAdInv, Math.abs(Math.log(g.dOut[i]!) - g.logDet[i]!));
      }
      report(`${backend}: log-det vs log autodiff derivative ${eAd.toExponential(2)} (inverse ${eAdInv.toExponential(2)}), vs float64 central differences ${eFd.toExponential(2)}`);
      // Autodiff and the log-det see the same float32 knots: near-exact agreement. The float64 map has exact knots,
      // whose float32 rounding moves the log-det by up to ~1e-3 (as in the reference test above).
      expect(eAd).toBeLessThan(1e-4);
      expect(eAdInv).toBeLessThan(1e-4);
      expect(eFd).toBeLessThan(1e-3);
    });

    test('all-zero parameters give the identity, forward and inverse, with log-det 0', async () => {
      const v = Float32Array.from([...TAIL_POINTS, ...Array.from({ length: 61 }, (_, i) => -B - 1 + (i * (2 * B + 2)) / 60)], Math.fround);
      const p = new Float32Array(v.length * (3 * DEFAULTS.bins - 1));
      for (const direction of ['forward', 'inverse'] as const) {
        const r = await runSpline(direction, v, p);
        for (let i = 0; i < v.length; i++) {
          expect(Math.abs(r.out[i]! - v[i]!), `${direction} at ${v[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v[i]!)));
          expect(Math.abs(r.logDet[i]!), `${direction} log-det at ${v[i]}`).toBeLessThan(1e-6);
        }
      }
    });

    test('continuous across knots and ±B, and increasing', async () => {
      const n = 4;
      const p = randomParams(n, DEFAULTS, 3, 11);
      const knots = await libraryKnots(p, n, 'xs');
      const { v, rows } = atKnots(knots, n, DEFAULTS);
      const f = await runSpline('forward', v, paramsOfRows(p, rows, DEFAULTS));
      // Triples (knot − 1 ulp, knot, knot + 1 ulp): the change is at most twice the steepest slope times the 2-ulp step, plus 4 ulp of y (|y| < 4: 2e-6) of rounding.
      let jump = 0;
      for (let i = 0; i < v.length; i += 3) {
        const slope = Math.max(...[0, 1, 2].map((j) => Math.exp(f.logDet[i + j]!)));
        const allowed = 2e-6 + 2 * slope * (v[i + 2]! - v[i]!);
        jump = Math.max(jump, (Math.abs(f.out[i + 1]! - f.out[i]!) + Math.abs(f.out[i + 2]! - f.out[i + 1]!)) / allowed);
      }
      report(`${backend}: largest change across a knot: ${jump.toFixed(2)} of the allowed 2·slope·(2 ulp) + 2e-6`);
      expect(jump).toBeLessThanOrEqual(1);
      // A dense grid per row: y never decreases (float32 rounding may repeat a value).
      const grid = Array.from({ length: 3001 }, (_, i) => -B - 0.5 + (i * (2 * B + 1)) / 3000);
      for (let r = 0; r < n; r++) {
        const g = await runSpline('forward', Float32Array.from(grid), paramsOfRows(p, grid.map(() => r), DEFAULTS));
        for (let i = 1; i < grid.length; i++) expect(g.out[i]!, `row ${r} at ${grid[i]}`).toBeGreaterThanOrEqual(g.out[i - 1]!);
      }
    });

    test('the nflows crash points: inputs at, just inside and outside ±B, far out, and exactly at every knot', async () => {
      const n = 6;
      const p = randomParams(n, DEFAULTS, 4, 13);
      const rowsTail = Array.from({ length: n * TAIL_POINTS.length }, (_, i) => Math.floor(i / TAIL_POINTS.length));
      const tail = Float32Array.from(rowsTail, (_, i) => TAIL_POINTS[i % TAIL_POINTS.length]!);
      let worstTail = 0;
      for (const direction of ['forward', 'inverse'] as const) {
        const knots = await libraryKnots(p, n, direction === 'forward' ? 'xs' : 'ys');
        const k = atKnots(knots, n, DEFAULTS);
        const v = Float32Array.from([...tail, ...k.v]);
        const rows = [...rowsTail, ...k.rows];
        const params = paramsOfRows(p, rows, DEFAULTS);
        const r = await runSpline(direction, v, params);
        const back = await runSpline(direction === 'forward' ? 'inverse' : 'forward', r.out, params);
        const other = direction === 'forward' ? 'inverse' : 'forward';
        const ct = Float32Array.from(v, (_, i) => Math.cos(i));
        const { dv, dp } = await splineVjp(direction, v, params, ct, ct);
        for (let i = 0; i < v.length; i++) {
          const where = `${direction} at ${v[i]} (row ${rows[i]})`;
          const pr = row(p, rows[i]!, DEFAULTS);
          const want = direction === 'forward' ? referenceForward(v[i]!, pr).y : referenceInverse(v[i]!, pr);
          expect(Number.isFinite(r.out[i]!) && Number.isFinite(r.logDet[i]!), `${where}: finite`).toBe(true);
          expect(Math.abs(r.out[i]! - want), `${where}: against the float64 reference`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want)));
          const err = Math.abs(back.out[i]! - v[i]!);
          expect(err, `${where}: round trip through the ${other}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v[i]!)));
          if (Math.abs(v[i]!) >= B) {
            expect(r.out[i], `${where}: identity tail`).toBe(v[i]);
            expect(r.logDet[i], `${where}: zero log-det`).toBe(0);
          }
          if (Math.abs(Math.abs(v[i]!) - B) <= 2e-4) worstTail = Math.max(worstTail, err);
          expect(Number.isFinite(dv[i]!), `${where}: finite gradient in the input`).toBe(true);
        }
        expect(dp.every(Number.isFinite), `${direction}: finite gradients in the parameters`).toBe(true);
      }
      report(`${backend}: worst round-trip error at ±B, its float32 neighbours and ±(B − 1e-4): ${worstTail.toExponential(2)}`);
    });

    test('parameter gradients of y and the log-det match central differences of the float64 map', async () => {
      const o: ReferenceOptions = { ...DEFAULTS, bins: 4 };
      const n = 24;
      const next = lcg(17);
      const p = randomParams(n, o, 1.5, 18);
      const v = Float32Array.from({ length: n }, () => (2 * next() - 1) * (B - 0.1));
      const cy = Float32Array.from({ length: n }, () => 2 * next() - 1);
      const cl = Float32Array.from({ length: n }, () => 2 * next() - 1);
      const q = 3 * o.bins - 1;
      for (const direction of ['forward', 'inverse'] as const) {
        const { dp } = await splineVjp(direction, v, p, cy, cl, o);
        const phi = (i: number, pr: number[]): number => {
          if (direction === 'forward') {
            const r = referenceForward(v[i]!, pr, o);
            return cy[i]! * r.y + cl[i]! * Math.log(r.dydx);
          }
          const x = referenceInverse(v[i]!, pr, o);
          return cy[i]! * x - cl[i]! * Math.log(referenceForward(x, pr, o).dydx);
        };
        let worst = 0;
        for (let i = 0; i < n; i++) {
          const pr = row(p, i, o);
          for (let j = 0; j < q; j++) {
            const h = 1e-5;
            const up = [...pr], down = [...pr];
            up[j]! += h;
            down[j]! -= h;
            const fd = (phi(i, up) - phi(i, down)) / (2 * h);
            worst = Math.max(worst, Math.abs(dp[i * q + j]! - fd) / (1 + Math.abs(fd)));
          }
        }
        report(`${backend}: ${direction} parameter gradients vs float64 central differences: ${worst.toExponential(2)}`);
        expect(worst).toBeLessThan(2e-3);
      }
    });

    test('a batch entirely in the tails is the identity with zero log-det and finite gradients', async () => {
      const v = Float32Array.from([B, -B, nextFloat32(B, 1), -5, 7, 1e6], Math.fround);
      const p = randomParams(v.length, DEFAULTS, 3, 19);
      for (const direction of ['forward', 'inverse'] as const) {
        const r = await runSpline(direction, v, p);
        expect(Array.from(r.out)).toEqual(Array.from(v));
        expect(Array.from(r.logDet)).toEqual(Array.from(v, () => 0));
        expect(Array.from(r.dOut)).toEqual(Array.from(v, () => 1));
        const { dp } = await splineVjp(direction, v, p, Float32Array.from(v, () => 1), Float32Array.from(v, () => 1));
        expect(dp.every((g) => g === 0), `${direction}: no parameter gradient from the tails`).toBe(true);
      }
    });
  });
}

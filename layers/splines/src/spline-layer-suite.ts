import { assertChecks, checkLayer, describeBackendAgreement, layerInputs, type LayerCase } from '@rheo/flows/testing';
import { tensor, tidy } from '@rheo/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { lcg, useBackend } from './spline-checks.js';
import { binEdgeCase, LAYER_SPLINE, SPLINE_LAYER_CASES, TAIL_ROWS } from './spline-layer-cases.js';
import { splineKnots } from './spline-knots.js';
import { resolveSplineOptions } from './spline-options.js';

/** Host knots of random parameters (uniform in ±3), computed on the active backend. */
async function knotsOf(n: number): Promise<{ p: Float32Array; xs: Float32Array }> {
  const P = 3 * LAYER_SPLINE.bins - 1;
  const next = lcg(5);
  const p = Float32Array.from({ length: n * P }, () => (2 * next() - 1) * 3);
  const t = tidy(() => splineKnots(tensor(p, [n, P]), resolveSplineOptions(LAYER_SPLINE)).xs);
  const xs = Float32Array.from(await t.data());
  t.dispose();
  return { p, xs };
}

/** Largest |f⁻¹(f(x)) − x| over the rows of a case's batch that hold tail points. */
async function tailRoundTrip(c: LayerCase): Promise<number> {
  const { t, params, x, options } = layerInputs(c);
  const z = t.forwardAndLogDet(params, t.buffers, x, options).out;
  const back = await t.inverseAndLogDet(params, t.buffers, z, options).out.data();
  const xv = await x.data();
  let worst = 0;
  for (let i = 0; i < TAIL_ROWS * c.d; i++) worst = Math.max(worst, Number.isNaN(back[i]!) ? Infinity : Math.abs(back[i]! - xv[i]!));
  return worst;
}

/**
 * The kit's checks (round trip, brute-force log-det, fused vs plain, every
 * parameter gets a gradient, context) on the spline layers at inputs on,
 * beside and beyond the tail bound, and on the spline alone at its knots;
 * `report` gets the worst round-trip error of each case.
 */
export function describeSplineLayerSuite(backend: string, report: (line: string) => void = () => {}): void {
  describe(`spline layers on ${backend}`, () => {
    beforeAll(async () => useBackend(backend));

    const run = async (c: LayerCase) => {
      const results = await checkLayer(c);
      const rt = results.find((r) => r.property.startsWith('round trip'))!;
      report(`${backend}: ${c.name}: worst round-trip error ${rt.maxError.toExponential(2)} (relative, |Δx|/(1 + |x|))`);
      assertChecks(`${c.name} on ${backend}`, results);
      return rt.maxError;
    };

    for (const c of SPLINE_LAYER_CASES) {
      it(`${c.name}: the kit's checks pass with inputs at ±B, one float32 step inside and outside, and beyond`, async () => {
        // Over the whole batch (the normal rows include contracting entries, g' ≈ e^-3, whose inverse amplifies rounding).
        expect(await run(c)).toBeLessThan(1e-5);
        const tail = await tailRoundTrip(c);
        report(`${backend}: ${c.name}: worst |Δx| of the round trip on the rows at the tail points ${tail.toExponential(2)}`);
        // Inputs up to |x| = 10: two float32 ulps of 10 are 1.9e-6.
        expect(tail).toBeLessThan(2e-6);
      }, 120_000);
    }

    it('the spline alone passes the kit exactly at every bin edge and its float32 neighbours', async () => {
      const { p, xs } = await knotsOf(4);
      // Log-dets are compared to 1e-3, as float32 log-derivatives at knots are within 1e-3 of float64 ones (see the spline suite).
      expect(await run({ ...binEdgeCase(p, xs, 4), tol: 1e-3 })).toBeLessThan(2e-6);
    }, 120_000);
  });
}

/** The three layers built on the CPU and on `backend` from the same values agree (the kit's `checkBackendAgreement`). */
export function describeSplineLayerAgreement(backend: string, available: boolean): void {
  if (available) describeBackendAgreement({ describe, it }, backend, SPLINE_LAYER_CASES, 120_000);
}

import { type Tensor, type TensorTree } from '@rheo/tensor';
import type { Buffers, Transform, TransformOptions } from '../transform.js';
import { compareArrays, type CheckResult } from './check-result.js';
import { bruteForceLogDet } from './log-abs-det.js';

/** Options of `checkTransform`. */
export interface CheckOptions {
  /** Relative tolerance, |got − want| ≤ tol·(1 + |want|); default 1e-4. */
  readonly tol?: number;
  /** Options passed to every call (context, key, training). */
  readonly options?: TransformOptions;
}

/**
 * The properties every transform must have, on a batch x [n, d]:
 * f⁻¹(f(x)) = x; the forward log-det equals log |det| of the brute-force
 * Jacobian; the inverse log-det at f(x) is its negation; the plain
 * `forward`/`inverse`, where present, agree with the fused methods; the
 * log-det has shape [n]. Returns one result per property (see
 * `assertChecks`).
 */
export async function checkTransform<P extends TensorTree, B extends Buffers>(
  t: Transform<P, B>, params: P, buffers: B, x: Tensor, check: CheckOptions = {},
): Promise<CheckResult[]> {
  const tol = check.tol ?? 1e-4;
  const o = check.options;
  const results: CheckResult[] = [];
  const fwd = t.forwardAndLogDet(params, buffers, x, o);
  const back = t.inverseAndLogDet(params, buffers, fwd.out, o);
  const shapeOk = fwd.logDet.rank === 1 && fwd.logDet.shape[0] === x.shape[0] && back.logDet.rank === 1 && back.logDet.shape[0] === x.shape[0];
  results.push({
    property: 'log-det shape', ok: shapeOk, maxError: 0, tol: 0,
    detail: `forward [${fwd.logDet.shape.join(', ')}], inverse [${back.logDet.shape.join(', ')}]; expected [${x.shape[0]}]`,
  });
  results.push(compareArrays('round trip inverse(forward(x)) = x', await back.out.data(), await x.data(), tol));
  const brute = await bruteForceLogDet((v) => t.forwardAndLogDet(params, buffers, v, o).out, x);
  results.push(compareArrays('forward log-det = brute-force Jacobian', await fwd.logDet.data(), brute, tol));
  const negated = Array.from(await back.logDet.data(), (v) => -v);
  results.push(compareArrays('inverse log-det = −brute-force Jacobian', negated, brute, tol));
  if (t.forward) results.push(compareArrays('forward = fused forward', await t.forward(params, buffers, x, o).data(), await fwd.out.data(), tol));
  if (t.inverse) results.push(compareArrays('inverse = fused inverse', await t.inverse(params, buffers, fwd.out, o).data(), await back.out.data(), tol));
  return results;
}

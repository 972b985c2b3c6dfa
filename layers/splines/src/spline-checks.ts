import { add, grad, keep, mul, scalar, setBackend, sum, tensor, type Tensor, tidy, vjp } from '@rheo/tensor';
import { rationalQuadraticSpline, rationalQuadraticSplineInverse } from './rational-quadratic-spline.js';
import { DEFAULTS, type ReferenceOptions } from './spline-reference.js';

// Test helpers shared by the CPU and WebGPU spline tests (not exported by the package).

/** Seeded uniform numbers in [0, 1) (Numerical Recipes LCG). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n rows of 3K − 1 parameters, uniform in [−scale, scale], as float32. */
export function randomParams(n: number, o: ReferenceOptions, scale: number, seed: number): Float32Array {
  const next = lcg(seed);
  return Float32Array.from({ length: n * (3 * o.bins - 1) }, () => (2 * next() - 1) * scale);
}

export function row(p: Float32Array, i: number, o: ReferenceOptions): number[] {
  const q = 3 * o.bins - 1;
  return Array.from(p.subarray(i * q, (i + 1) * q));
}

/** The next float32 after v towards +∞ (dir 1) or −∞ (dir −1). */
export function nextFloat32(v: number, dir: 1 | -1): number {
  const f = new Float32Array([v]);
  const bits = new Int32Array(f.buffer);
  if (v === 0) return dir * 2 ** -149;
  bits[0]! += (v > 0) === (dir > 0) ? 1 : -1;
  return f[0]!;
}

export interface SplineRun {
  readonly out: Float32Array;
  readonly logDet: Float32Array;
  /** d out / d in by autodiff (elementwise, so the gradient of Σ out). */
  readonly dOut: Float32Array;
}

/** Runs the forward (or inverse) spline on the current backend for inputs v [n] and params [n, 3K − 1]. */
export async function runSpline(direction: 'forward' | 'inverse', v: Float32Array, p: Float32Array, o: ReferenceOptions = DEFAULTS): Promise<SplineRun> {
  const q = 3 * o.bins - 1;
  const [out, logDet, dOut] = tidy(() => {
    const x = tensor(v, [v.length]);
    const params = tensor(p, [v.length, q]);
    const f = (t: Tensor) => (direction === 'forward' ? rationalQuadraticSpline(t, params, o).y : rationalQuadraticSplineInverse(t, params, o).x);
    const r = direction === 'forward' ? rationalQuadraticSpline(x, params, o) : rationalQuadraticSplineInverse(x, params, o);
    const d = grad((t: Tensor) => sum(f(t)))(x);
    return [keep(direction === 'forward' ? (r as { y: Tensor }).y : (r as { x: Tensor }).x), keep(r.logDet), keep(d)];
  });
  const res = { out: Float32Array.from(await out.data()), logDet: Float32Array.from(await logDet.data()), dOut: Float32Array.from(await dOut.data()) };
  [out, logDet, dOut].forEach((t) => t.dispose());
  return res;
}

/**
 * Gradients of Σ (cy·out + cl·logDet) with respect to the inputs and the
 * parameters, by autodiff on the current backend.
 */
export async function splineVjp(direction: 'forward' | 'inverse', v: Float32Array, p: Float32Array, cy: Float32Array, cl: Float32Array, o: ReferenceOptions = DEFAULTS): Promise<{ dv: Float32Array; dp: Float32Array }> {
  const q = 3 * o.bins - 1;
  const [dv, dp] = tidy(() => {
    const f = ([x, params]: Tensor[]): Tensor => {
      const r = direction === 'forward' ? rationalQuadraticSpline(x!, params!, o) : rationalQuadraticSplineInverse(x!, params!, o);
      const y = direction === 'forward' ? (r as { y: Tensor }).y : (r as { x: Tensor }).x;
      return add(sum(mul(y, tensor(cy, [v.length]))), sum(mul(r.logDet, tensor(cl, [v.length]))));
    };
    const { pullback } = vjp(f, [tensor(v, [v.length]), tensor(p, [v.length, q])]);
    const gs = pullback(scalar(1));
    return [keep(gs[0]!), keep(gs[1]!)];
  });
  const res = { dv: Float32Array.from(await dv.data()), dp: Float32Array.from(await dp.data()) };
  dv.dispose();
  dp.dispose();
  return res;
}

export async function useBackend(name: string): Promise<void> {
  await setBackend(name, { quiet: true });
}

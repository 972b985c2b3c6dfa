import { ArgumentError } from '@rheo/tensor';
import { logBesselI0Scaled } from './bessel-i0.js';
import { CIRCLES_NOISE, CIRCLES_RADII } from './circles.js';
import { EIGHT_GAUSSIANS_RADIUS, EIGHT_GAUSSIANS_STD } from './eight-gaussians.js';
import { RINGS_NOISE, RINGS_RADII } from './rings.js';
import { TOY_2D, type Toy2dName } from './toy-2d.js';

/** The toy sets whose density has a closed form (up to a Bessel function). */
export type ToyDensityName = '8gaussians' | 'checkerboard' | 'rings' | 'circles';

/** Maps n interleaved (x, y) pairs to their n log-densities, in nats. */
export type ToyLogDensity = (points: Float64Array | Float32Array) => Float64Array;

const LOG_2PI = Math.log(2 * Math.PI);

/** Throws unless `name` is a key of TOY_2D, for callers outside the type checker. */
export function checkToyName(fn: string, name: unknown): asserts name is Toy2dName {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(TOY_2D, name)) {
    const received = typeof name === 'string' ? JSON.stringify(name) : typeof name;
    throw new ArgumentError(`${fn}(name): expected one of ${Object.keys(TOY_2D).map((n) => JSON.stringify(n)).join(', ')}, received ${received}`);
  }
}

function pointwise(name: string, logDensity: (x: number, y: number) => number): ToyLogDensity {
  return (points) => {
    if (!(points instanceof Float64Array || points instanceof Float32Array)) {
      throw new ArgumentError(`toyLogDensity('${name}')(points): expected a Float64Array or Float32Array of interleaved (x, y) pairs, received ${points === null ? 'null' : typeof points === 'object' ? (points as object).constructor?.name ?? 'object' : typeof points}`);
    }
    if (points.length % 2 !== 0) {
      throw new ArgumentError(`toyLogDensity('${name}')(points): expected an even length (interleaved (x, y) pairs), received length ${points.length}`);
    }
    const n = points.length / 2;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = logDensity(points[2 * i]!, points[2 * i + 1]!);
    return out;
  };
}

/** log Σ exp(aₖ) for a short list, shifted by the maximum. */
function logSumExp(a: Float64Array): number {
  let max = -Infinity;
  for (const v of a) if (v > max) max = v;
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (const v of a) s += Math.exp(v - max);
  return max + Math.log(s);
}

/**
 * p(x) = (1/8) Σₖ N(x; μₖ, σ²I), μₖ = R(cos kπ/4, sin kπ/4), as eightGaussians samples it.
 */
function eightGaussiansLogDensity(): (x: number, y: number) => number {
  const s2 = EIGHT_GAUSSIANS_STD * EIGHT_GAUSSIANS_STD;
  const logNorm = Math.log(1 / 8) - LOG_2PI - Math.log(s2);
  const cx = Float64Array.from({ length: 8 }, (_, k) => EIGHT_GAUSSIANS_RADIUS * Math.cos((k * Math.PI) / 4));
  const cy = Float64Array.from({ length: 8 }, (_, k) => EIGHT_GAUSSIANS_RADIUS * Math.sin((k * Math.PI) / 4));
  const terms = new Float64Array(8);
  return (x, y) => {
    for (let k = 0; k < 8; k++) {
      const dx = x - cx[k]!;
      const dy = y - cy[k]!;
      terms[k] = logNorm - (dx * dx + dy * dy) / (2 * s2);
    }
    return logSumExp(terms);
  };
}

/**
 * 1/32 on the closed black cells of [−4, 4]², 0 elsewhere. The sampler's cells
 * are half-open, but its float32 output can round onto a cell edge (y = 2(row + u)
 * with u within 2⁻²⁴ of 1); every edge inside the board borders a black cell, so
 * closing the cells changes the density only on a null set and gives every
 * sampled point log(1/32).
 */
function checkerboardLogDensity(): (x: number, y: number) => number {
  const inside = -Math.log(32);
  const cells = (t: number): number[] => {
    const h = t / 2;
    const f = Math.floor(h);
    return f === h ? [f - 1, f] : [f];
  };
  return (x, y) => {
    if (!(Math.abs(x) <= 4 && Math.abs(y) <= 4)) return -Infinity;
    for (const i of cells(x)) {
      if (i < -2 || i > 1) continue;
      for (const j of cells(y)) {
        if (j >= -2 && j <= 1 && (i + j) % 2 === 0) return inside;
      }
    }
    return -Infinity;
  };
}

/**
 * A mixture of rings of radii r with weights w, convolved with N(0, σ²I):
 * integrating the Gaussian over the uniform angle gives
 * p(x) = Σ_r w_r (2πσ²)⁻¹ exp(−(|x|² + r²)/(2σ²)) I0(|x| r/σ²),
 * evaluated as log p = logsumexp_r [log w_r − log 2πσ² − (|x| − r)²/(2σ²) + log(e^{−z} I0(z))],
 * z = |x| r/σ², which neither overflows nor underflows near the rings.
 */
function ringMixtureLogDensity(radii: readonly number[], sigma: number): (x: number, y: number) => number {
  const s2 = sigma * sigma;
  const logNorm = -Math.log(radii.length) - LOG_2PI - Math.log(s2);
  const terms = new Float64Array(radii.length);
  return (x, y) => {
    const rho = Math.hypot(x, y);
    for (let k = 0; k < radii.length; k++) {
      const r = radii[k]!;
      const d = rho - r;
      terms[k] = logNorm - (d * d) / (2 * s2) + logBesselI0Scaled((rho * r) / s2);
    }
    return logSumExp(terms);
  };
}

/**
 * The exact log-density of a toy 2-D set, matching its sampler in TOY_2D
 * (Grathwohl et al. 2018, FFJORD, arXiv:1810.01367):
 *
 * - `8gaussians`: (1/8) Σₖ N(x; R(cos kπ/4, sin kπ/4), σ²I), R = EIGHT_GAUSSIANS_RADIUS, σ = EIGHT_GAUSSIANS_STD;
 * - `checkerboard`: log(1/32) on the 8 black 2×2 cells of [−4, 4]², −∞ elsewhere;
 * - `rings` / `circles`: Σ_r w_r (2πσ²)⁻¹ exp(−(|x|² + r²)/(2σ²)) I0(|x| r/σ²) over
 *   RINGS_RADII / CIRCLES_RADII with equal weights and σ = RINGS_NOISE / CIRCLES_NOISE,
 *   a ring of radius r convolved with isotropic Gaussian noise.
 *
 * Returns a function from n interleaved (x, y) pairs to n log-densities (nats),
 * or undefined for `moons`, `2spirals`, `pinwheel` and `swissroll`, whose
 * densities have no closed form. Throws ArgumentError for an unknown name.
 */
export function toyLogDensity(name: ToyDensityName): ToyLogDensity;
export function toyLogDensity(name: Toy2dName): ToyLogDensity | undefined;
export function toyLogDensity(name: Toy2dName): ToyLogDensity | undefined {
  checkToyName('toyLogDensity', name);
  switch (name) {
    case '8gaussians':
      return pointwise(name, eightGaussiansLogDensity());
    case 'checkerboard':
      return pointwise(name, checkerboardLogDensity());
    case 'rings':
      return pointwise(name, ringMixtureLogDensity(RINGS_RADII, RINGS_NOISE));
    case 'circles':
      return pointwise(name, ringMixtureLogDensity(CIRCLES_RADII, CIRCLES_NOISE));
    default:
      return undefined;
  }
}

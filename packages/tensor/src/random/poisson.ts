import { tensor } from '../creation.js';
import { ArgumentError, show } from '../errors.js';
import { checkShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkKey, type Key } from './key.js';
import { threefry2x32 } from './threefry.js';

// Counts above 2^30 would not fit int32 once the tails are added.
const MAX_LAMBDA = 1e9;
// Below this rate inversion by sequential search is cheapest (about λ + 1
// comparisons per draw); above it PTRS needs about 1.1 draws of (u, v).
const PTRS_THRESHOLD = 10;

function checkRate(lam: number, arg: string): void {
  if (typeof lam !== 'number' || !(lam >= 0 && lam <= MAX_LAMBDA)) {
    throw new ArgumentError(`${arg}: expected a finite rate λ in [0, ${MAX_LAMBDA}], received ${show(lam)}`);
  }
}

// log k! : a table for small k, else Stirling's series
// ln k! = k ln k − k + ½ ln(2πk) + 1/(12k) − 1/(360k³) + 1/(1260k⁵), error < 1e-12 for k ≥ 10.
const LOG_FACT = [0, 0, 0.6931471805599453, 1.791759469228055, 3.1780538303479458, 4.787491742782046,
  6.579251212010101, 8.525161361065415, 10.60460290274525, 12.801827480081469];
function logFactorial(k: number): number {
  if (k < 10) return LOG_FACT[k]!;
  const r = 1 / k, r2 = r * r;
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + r * (1 / 12 - r2 * (1 / 360 - r2 / 1260));
}

/**
 * One Poisson(λ) draw for element `index` of a key's stream. Attempt c uses the
 * two 32-bit words of threefry2x32(key, (index, c)) as uniforms in (0, 1), so
 * every element has its own counter range and the draws are deterministic.
 */
function draw(k0: number, k1: number, index: number, lam: number, words: Uint32Array): number {
  const uniform = (i: number): number => (words[i]! + 0.5) / 4294967296;
  if (lam === 0) return 0;
  if (lam < PTRS_THRESHOLD) {
    // Inversion by sequential search: the smallest k with F(k) ≥ u,
    // p(k) = p(k−1)·λ/k, p(0) = e^−λ. The cap only binds when rounding keeps F below u.
    threefry2x32(k0, k1, index, 0, words, 0);
    const u = uniform(0);
    let k = 0, p = Math.exp(-lam), F = p;
    while (u > F && k < 1000) {
      k++;
      p *= lam / k;
      F += p;
    }
    return k;
  }
  // PTRS, the transformed rejection method with squeeze (Hörmann 1993,
  // "The transformed rejection method for generating Poisson random variables").
  const smu = Math.sqrt(lam), logLam = Math.log(lam);
  const b = 0.931 + 2.53 * smu;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (let c = 0; ; c++) {
    threefry2x32(k0, k1, index, c, words, 0);
    const U = uniform(0) - 0.5, V = uniform(1);
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lam + k * logLam - logFactorial(k)) return k;
  }
}

/**
 * A single Poisson(λ) draw as a JS number, from the same stream as element 0
 * of `poisson(key, λ, shape)`: for host-side control flow such as the number
 * of terms of a Russian-roulette series.
 */
export function poissonSample(k: Key, lam: number): number {
  checkKey(k, 'poissonSample(key)');
  checkRate(lam, 'poissonSample(lam)');
  return draw(k.k0, k.k1, 0, lam, new Uint32Array(2));
}

/**
 * Poisson(λ) counts as an int32 tensor (counts are exact integers; cast to
 * float32 for arithmetic). Inversion by sequential search for λ < 10 and PTRS
 * (Hörmann 1993) for λ ≥ 10. The draws run on the host from the key's
 * Threefry stream and are uploaded to the active backend, so every backend
 * sees the same numbers for the same key.
 */
export function poisson(k: Key, lam: number, shape: readonly number[]): Tensor {
  checkKey(k, 'poisson(key)');
  checkRate(lam, 'poisson(lam)');
  const s = checkShape([...shape], 'poisson(shape)');
  const out = new Int32Array(sizeOf(s));
  const words = new Uint32Array(2);
  for (let i = 0; i < out.length; i++) out[i] = draw(k.k0, k.k1, i, lam, words);
  return tensor(out, s, 'int32');
}

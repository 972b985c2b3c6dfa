import { ArgumentError, Key } from '@rheo/tensor';
import { TOY_2D, type Toy2dName } from './toy-2d.js';
import { checkToyName, toyLogDensity, type ToyDensityName } from './toy-log-density.js';

/** A Monte Carlo estimate in nats and its standard error. */
export interface EntropyEstimate {
  entropy: number;
  standardError: number;
}

/**
 * The differential entropy H = −E[log p(X)] of a toy 2-D set, in nats, by
 * Monte Carlo over n draws X₁..Xₙ from its own sampler TOY_2D[name](key, n):
 * H ≈ −(1/n) Σᵢ log p(Xᵢ), standard error s/√n with s the sample standard
 * deviation (ddof 1) of log p(Xᵢ); NaN when n = 1. p is toyLogDensity(name).
 * The entropy is the lowest expected NLL any model can reach on the set, the
 * floor for the test NLLs of FFJORD's toy experiments (Grathwohl et al. 2018,
 * arXiv:1810.01367). Checkerboard's log p is constant on its support, so its
 * estimate is log 32 with standard error 0.
 *
 * Returns undefined for the sets without a closed-form density (see
 * toyLogDensity); throws ArgumentError for an unknown name, a non-key or an n
 * that is not a positive integer.
 */
export function toyEntropy(name: ToyDensityName, k: Key, n: number): EntropyEstimate;
export function toyEntropy(name: Toy2dName, k: Key, n: number): EntropyEstimate | undefined;
export function toyEntropy(name: Toy2dName, k: Key, n: number): EntropyEstimate | undefined {
  checkToyName('toyEntropy', name);
  if (!(k instanceof Key)) throw new ArgumentError(`toyEntropy(key): expected a PRNG Key (from key(seed), split or fold), received ${k === null ? 'null' : typeof k}`);
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`toyEntropy(n): expected a positive integer, received ${String(n)}`);
  const logDensity = toyLogDensity(name);
  if (logDensity === undefined) return undefined;
  const t = TOY_2D[name](k, n);
  const data = t.dataSync();
  t.dispose();
  const logp = logDensity(data instanceof Float32Array ? data : Float64Array.from(data));
  // Welford's running mean and sum of squared deviations of −log p.
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const v = -logp[i]!;
    const d = v - mean;
    mean += d / (i + 1);
    m2 += d * (v - mean);
  }
  const standardError = n > 1 ? Math.sqrt(m2 / (n - 1) / n) : Number.NaN;
  return { entropy: mean, standardError };
}

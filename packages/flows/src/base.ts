import { ArgumentError, ShapeError, mul, normal, square, sub, sum, type Key, type Tensor } from '@rheo/tensor';

/** A base (latent) distribution over events of a fixed shape. */
export interface Distribution {
  readonly kind: string;
  readonly eventShape: readonly number[];
  /** log p(z) per sample, [n]. */
  logProb(z: Tensor): Tensor;
  sample(key: Key, n: number): Tensor;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The standard normal N(0, I): log p(z) = −½‖z‖² − (D/2) log 2π. */
export function standardNormal(eventShape: number | readonly number[]): Distribution {
  const shape = typeof eventShape === 'number' ? [eventShape] : [...eventShape];
  if (shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ArgumentError(`standardNormal(eventShape): received [${shape.join(', ')}]; expected positive integers`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const axes = shape.map((_, i) => i + 1);
  return {
    kind: 'standard-normal',
    eventShape: shape,
    logProb: (z) => {
      // A z of another event shape would still sum to a number, off by a constant: refuse it.
      if (z.rank !== shape.length + 1 || shape.some((s, i) => z.shape[i + 1] !== s)) {
        throw new ShapeError(`standardNormal(${shape.join(', ')}).logProb(z): received shape [${z.shape.join(', ')}]; expected [n, ${shape.join(', ')}]`);
      }
      return sub(mul(sum(square(z), axes), -0.5), size * HALF_LOG_2PI);
    },
    sample: (key, n) => normal(key, [n, ...shape]),
  };
}

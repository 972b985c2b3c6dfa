import { ArgumentError, mul, normal, uniform, zeros, type Key, type Tensor } from '@rheo/tensor';

/**
 * A weight initialiser: draws a tensor of the given shape from a key. Shapes
 * follow the layers' [out, in] convention, so fan-in is the last axis and
 * fan-out the first.
 */
export type Initializer = (k: Key, shape: readonly number[]) => Tensor;

function fans(shape: readonly number[], who: string): [number, number] {
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ArgumentError(`${who}(shape): expected a non-empty shape of positive integers, received [${shape.join(', ')}]`);
  }
  const fanIn = shape.length === 1 ? shape[0]! : shape[shape.length - 1]!;
  return [fanIn, shape[0]!];
}

/** Glorot/Xavier uniform: U(−a, a), a = √(6 / (fan_in + fan_out)) (Glorot & Bengio 2010). */
export function glorotUniform(): Initializer {
  return (k, shape) => {
    const [fanIn, fanOut] = fans(shape, 'glorotUniform');
    const a = Math.sqrt(6 / (fanIn + fanOut));
    return uniform(k, shape, -a, a);
  };
}

/**
 * Kaiming/He uniform: U(−a, a), a = gain·√(3 / fan_in), which gives variance
 * gain²/fan_in; gain √2 keeps activation variance through ReLU layers
 * (He et al. 2015, arXiv:1502.01852).
 */
export function kaimingUniform(gain = Math.SQRT2): Initializer {
  if (!(gain > 0) || !Number.isFinite(gain)) throw new ArgumentError(`kaimingUniform(gain): expected a positive finite number, received ${gain}`);
  return (k, shape) => {
    const [fanIn] = fans(shape, 'kaimingUniform');
    const a = gain * Math.sqrt(3 / fanIn);
    return uniform(k, shape, -a, a);
  };
}

/** N(0, std²) entries. */
export function normalInit(std: number): Initializer {
  if (!(std >= 0) || !Number.isFinite(std)) throw new ArgumentError(`normalInit(std): expected a finite number >= 0, received ${std}`);
  return (k, shape) => {
    fans(shape, 'normalInit');
    return std === 1 ? normal(k, shape) : mul(normal(k, shape), std);
  };
}

/** All zeros; the key is accepted for a uniform signature and ignored. */
export function zerosInit(): Initializer {
  return (_k, shape) => {
    fans(shape, 'zerosInit');
    return zeros(shape);
  };
}

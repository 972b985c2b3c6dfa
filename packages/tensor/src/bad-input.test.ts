import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { describe, expect, test } from 'vitest';
import {
  add, arange, ArgumentError, broadcastTo, div, full, fold, key, mul, RheoError, scalar, sub, tensor, where, zeros,
} from './index.js';

// Bad input at the package's entry points → one clear error naming the argument and the cause.
// Each row: the call, the RheoError subclass, and patterns the one-line message must match.
const ints = (...v: number[]) => tensor(Int32Array.from(v), [v.length], 'int32');

const ROWS: readonly BadInputRow[] = [
  // int32 semantics: a fractional or out-of-range number would be truncated or wrapped.
  { label: 'mul(int32, 0.5)', call: () => mul(ints(1, 2), 0.5), error: ArgumentError, patterns: [/mul\(b\)/, /0\.5/, /int32/] },
  { label: 'add(1.5, int32)', call: () => add(1.5, ints(1)), error: ArgumentError, patterns: [/add\(a\)/, /1\.5/, /int32/] },
  { label: 'sub(int32, 2^31)', call: () => sub(ints(1), 2 ** 31), error: ArgumentError, patterns: [/sub\(b\)/, /2147483648/, /2\^31 - 1/] },
  { label: 'div(int32, NaN)', call: () => div(ints(1), Number.NaN), error: ArgumentError, patterns: [/div\(b\)/, /NaN/] },
  { label: 'where(cond, int32, 0.25)', call: () => where(zeros([1]), ints(1), 0.25), error: ArgumentError, patterns: [/where\(b\)/, /0\.25/] },
  { label: 'scalar(2^31, int32)', call: () => scalar(2 ** 31, 'int32'), error: ArgumentError, patterns: [/scalar\(value\)/, /2147483648/, /int32/] },
  { label: 'full([2], -2^31 - 1, int32)', call: () => full([2], -(2 ** 31) - 1, 'int32'), error: ArgumentError, patterns: [/full\(value\)/, /-2147483649/] },
  { label: 'tensor([1, 2^32], int32)', call: () => tensor([1, 2 ** 32], [2], 'int32'), error: ArgumentError, patterns: [/tensor\(values\)/, /4294967296/] },
  { label: 'tensor(Float32Array [0.5], int32)', call: () => tensor(Float32Array.of(0.5), [1], 'int32'), error: ArgumentError, patterns: [/tensor\(values\)/, /0\.5/] },
  { label: 'arange(0, 2^31 + 2, 1, int32)', call: () => arange(2 ** 31 - 1, 2 ** 31 + 1, 1, 'int32'), error: ArgumentError, patterns: [/arange\(stop\)/, /2147483648/] },
  // PRNG: the fold counter is 32 bits; 2^32 and −1 would alias 0 and 2^32 − 1.
  { label: 'fold(k, 2^32)', call: () => fold(key(0), 2 ** 32), error: ArgumentError, patterns: [/fold\(key, data\)/, /4294967296/, /\[0, 2\^32\)/] },
  { label: 'fold(k, -1)', call: () => fold(key(0), -1), error: ArgumentError, patterns: [/fold\(key, data\)/, /-1/] },
  // Sizes a typed array (or a JS array) cannot hold: a RheoError naming the shape, not a RangeError or a V8 abort.
  { label: 'zeros([1e6, 1e6])', call: () => zeros([1e6, 1e6]), error: ArgumentError, patterns: [/zeros|full\(shape\)/, /\[1000000, 1000000\]/, /1000000000000 elements/] },
  { label: 'broadcastTo(scalar, [2^33])', call: () => broadcastTo(scalar(0), [2 ** 33]), error: ArgumentError, patterns: [/broadcastTo/, /8589934592/] },
  {
    label: 'toArray() of 2^26 + 1 elements',
    call: () => broadcastTo(scalar(0), [2 ** 26 + 1]).toArray(),
    error: ArgumentError,
    patterns: [/toArray\(\)/, /\[67108865\]/, /dataSync\(\)/],
  },
];

describeBadInput('bad input to @rheo/tensor', ROWS);

describe('bad input to @rheo/tensor: inputs that are fine', () => {
  test('values at the edges of the accepted ranges still work and keep their value', () => {
    expect(Array.from(mul(ints(3, -4), 2).dataSync())).toEqual([6, -8]);
    expect(Array.from(tensor([2 ** 31 - 1, -(2 ** 31)], [2], 'int32').dataSync())).toEqual([2 ** 31 - 1, -(2 ** 31)]);
    // fold at the top of its range differs from fold at 0.
    const k = key(7);
    expect(fold(k, 2 ** 32 - 1).k0 === fold(k, 0).k0 && fold(k, 2 ** 32 - 1).k1 === fold(k, 0).k1).toBe(false);
    expect(Array.from(mul(tensor([1, 2]), 0.5).dataSync())).toEqual([0.5, 1]);
  });
});

import { ConvergenceError } from '@rheo/flows';
import { ArgumentError, BackendError, DTypeError, NonFiniteError, RheoError, ShapeError } from '@rheo/tensor';
import { describe, expect, test } from 'vitest';
import { EXIT, exitCodeOf } from './exit-code.js';

const io = (code: string) => Object.assign(new Error(`${code}: x`), { code });

describe('the exit-code contract', () => {
  test.each([
    ['ArgumentError', new ArgumentError('x'), 2],
    ['ShapeError', new ShapeError('x'), 2],
    ['DTypeError', new DTypeError('x'), 2],
    ['ENOENT', io('ENOENT'), 2],
    ['EACCES', io('EACCES'), 2],
    ['EISDIR', io('EISDIR'), 2],
    ['NonFiniteError', new NonFiniteError('x'), 3],
    ['ConvergenceError', new ConvergenceError('x'), 3],
    ['BackendError', new BackendError('x'), 3],
    ['RheoError', new RheoError('x'), 3],
    ['TypeError (a bug)', new TypeError('x'), 1],
    ['a thrown string', 'x', 1],
  ] as const)('%s exits %i', (_, err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });

  test('codes are distinct', () => {
    expect(new Set(Object.values(EXIT)).size).toBe(4);
  });
});

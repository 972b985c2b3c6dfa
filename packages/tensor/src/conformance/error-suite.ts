import { describe, expect, test } from 'vitest';
import { tensor, zeros } from '../creation.js';
import { ArgumentError, DTypeError, RheoError, ShapeError } from '../errors.js';
import { add } from '../ops/add.js';
import { broadcastTo } from '../ops/broadcast-to.js';
import { concat } from '../ops/concat.js';
import { cumsum } from '../ops/cumsum.js';
import { gather } from '../ops/gather.js';
import { matmul } from '../ops/matmul.js';
import { pad } from '../ops/pad.js';
import { permute } from '../ops/permute.js';
import { reshape } from '../ops/reshape.js';
import { scatterAdd } from '../ops/scatter-add.js';
import { scatterAddAlongAxis } from '../ops/scatter-add-along-axis.js';
import { searchsorted } from '../ops/searchsorted.js';
import { slice } from '../ops/slice.js';
import { sum } from '../ops/sum.js';
import { takeAlongAxis } from '../ops/take-along-axis.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';

type ErrorClass = typeof ShapeError | typeof ArgumentError | typeof DTypeError;

interface ErrorCase {
  readonly label: string;
  readonly call: () => Tensor;
  readonly error: ErrorClass;
  /** Each must match the message: the op's name and the shapes or values received. */
  readonly patterns: readonly RegExp[];
}

const z = (...shape: number[]): Tensor => zeros(shape);
const ids = (...v: number[]): Tensor => tensor(Int32Array.from(v), [v.length], 'int32');

const ERROR_CASES: readonly ErrorCase[] = [
  { label: 'add of shapes that do not broadcast', call: () => add(z(2, 3), z(4)), error: ShapeError, patterns: [/add/, /\[2, 3\]/, /\[4\]/] },
  { label: 'where of shapes that do not broadcast', call: () => where(z(2), z(3), z(2)), error: ShapeError, patterns: [/where/, /\[2\]/, /\[3\]/] },
  { label: 'matmul with different inner sizes', call: () => matmul(z(2, 3), z(4, 5)), error: ShapeError, patterns: [/matmul/, /\[2, 3\]/, /\[4, 5\]/] },
  { label: 'matmul of a vector', call: () => matmul(z(3), z(3, 2)), error: ShapeError, patterns: [/matmul/, /\[3\]/, /\[3, 2\]/] },
  { label: 'matmul with batch axes that do not broadcast', call: () => matmul(z(2, 3, 4), z(3, 4, 5)), error: ShapeError, patterns: [/matmul/, /\[2\]/, /\[3\]/] },
  { label: 'concat with mismatched other axes', call: () => concat([z(2, 3), z(2, 4)], 0), error: ShapeError, patterns: [/concat/, /\[2, 3\]/, /\[2, 4\]/] },
  { label: 'concat of an empty list', call: () => concat([], 0), error: ArgumentError, patterns: [/concat/, /non-empty/] },
  { label: 'reshape to a different size', call: () => reshape(z(2, 3), [4]), error: ShapeError, patterns: [/reshape/, /\[2, 3\]/, /\[4\]/] },
  { label: 'reshape with an impossible -1', call: () => reshape(z(2, 3), [4, -1]), error: ShapeError, patterns: [/reshape/, /\[4, -1\]/, /\[2, 3\]/] },
  { label: 'slice past the end', call: () => slice(z(4, 5), [1, 3], [2, 3]), error: ArgumentError, patterns: [/slice/, /axis 1/, /\[4, 5\]/] },
  { label: 'slice with more entries than axes', call: () => slice(z(4, 5), [1, 0, 0], [2, 1, 1]), error: ArgumentError, patterns: [/slice/, /\[4, 5\]/] },
  { label: 'gather out of range', call: () => gather(z(4, 3), ids(1, 4)), error: ArgumentError, patterns: [/gather/, /\b4\b/, /\[4, 3\]/] },
  { label: 'gather with float indices', call: () => gather(z(4, 3), z(2)), error: DTypeError, patterns: [/gather/, /int32/, /float32/] },
  { label: 'scatterAdd with updates not shaped like the indices', call: () => scatterAdd(z(3, 2), ids(0, 1), 0, 4), error: ShapeError, patterns: [/scatterAdd/, /\[3, 2\]/, /\[2\]/] },
  { label: 'pad with a negative amount', call: () => pad(z(2, 3), [[0, 0], [-1, 0]]), error: ArgumentError, patterns: [/pad/, /\[2, 3\]/, /-1/] },
  { label: 'permute with a non-permutation', call: () => permute(z(2, 3), [0, 0]), error: ArgumentError, patterns: [/permute/, /\[0, 0\]/, /\[2, 3\]/] },
  { label: 'broadcastTo a smaller shape', call: () => broadcastTo(z(3), [2]), error: ShapeError, patterns: [/broadcastTo/, /\[3\]/, /\[2\]/] },
  { label: 'cumsum over an axis out of range', call: () => cumsum(z(2, 3), 2), error: ArgumentError, patterns: [/cumsum/, /axis 2/, /rank 2/] },
  { label: 'searchsorted with edges rows not matching the values', call: () => searchsorted(z(2, 4), z(3, 5)), error: ShapeError, patterns: [/searchsorted/, /\[2, 4\]/, /\[3, 5\]/] },
  { label: 'searchsorted of int32 values', call: () => searchsorted(z(4), ids(1, 2)), error: DTypeError, patterns: [/searchsorted/, /values/, /int32/] },
  { label: 'takeAlongAxis out of range', call: () => takeAlongAxis(z(2, 3), tensor(Int32Array.of(0, 3), [2, 1], 'int32')), error: ArgumentError, patterns: [/takeAlongAxis/, /\b3\b/, /\[2, 3\]/] },
  { label: 'scatterAddAlongAxis out of range', call: () => scatterAddAlongAxis(z(2, 1), tensor(Int32Array.of(0, -1), [2, 1], 'int32'), 4), error: ArgumentError, patterns: [/scatterAddAlongAxis/, /-1/, /< 4/] },
  { label: 'takeAlongAxis with float indices', call: () => takeAlongAxis(z(2, 3), z(2, 1)), error: DTypeError, patterns: [/takeAlongAxis/, /int32/, /float32/] },
  { label: 'takeAlongAxis with indices rows not matching x', call: () => takeAlongAxis(z(3, 4), ids(0, 1)), error: ShapeError, patterns: [/takeAlongAxis/, /\[3, 4\]/, /\[2\]/] },
  { label: 'sum over an axis out of range', call: () => sum(z(2, 3), 2), error: ArgumentError, patterns: [/sum/, /axis 2/, /rank 2/] },
];

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  return undefined;
}

export function describeErrors(): void {
  describe('error messages', () => {
    test.each(ERROR_CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
      const e = thrown(c.call);
      expect(e, 'expected a throw').toBeInstanceOf(c.error);
      expect(e).toBeInstanceOf(RheoError);
      const message = (e as Error).message;
      for (const p of c.patterns) expect(message).toMatch(p);
    });
  });
}

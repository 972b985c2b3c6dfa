import { abs } from '../ops/abs.js';
import { add } from '../ops/add.js';
import { cos } from '../ops/cos.js';
import { div } from '../ops/div.js';
import { equal } from '../ops/equal.js';
import { exp } from '../ops/exp.js';
import { floor } from '../ops/floor.js';
import { less } from '../ops/less.js';
import { log } from '../ops/log.js';
import { log1p } from '../ops/log1p.js';
import { maximum } from '../ops/maximum.js';
import { mul } from '../ops/mul.js';
import { neg } from '../ops/neg.js';
import { sigmoid } from '../ops/sigmoid.js';
import { sign } from '../ops/sign.js';
import { sin } from '../ops/sin.js';
import { sqrt } from '../ops/sqrt.js';
import { sub } from '../ops/sub.js';
import { tanh } from '../ops/tanh.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';
import type { InputSpec, PrimitiveCase } from './case.js';
import { map, select, zip } from './reference.js';

type Kind = InputSpec['kind'];

// Shapes every elementwise op sees: ordinary, rank-0, empty, size-1.
const UNARY_SHAPES: readonly (readonly number[])[] = [[3, 4], [], [0, 3], [1, 1]];

function unary(primitive: string, op: (x: Tensor) => Tensor, f: (v: number) => number, kind: Kind, differentiable: boolean): PrimitiveCase[] {
  return UNARY_SHAPES.map((shape) => ({
    primitive,
    label: `${primitive} [${shape.join(', ')}]`,
    inputs: [{ shape, kind }],
    op: ([x]) => op(x!),
    reference: ([x]) => map(x!, f),
    ...(differentiable ? { wrt: [0] } : {}),
  }));
}

// Broadcasting pairs: equal, stretch both ways, rank-0 against a vector,
// an empty axis against size 1, size-1 against higher rank.
const BINARY_SHAPES: readonly [readonly number[], readonly number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 1, 3], [4, 1]],
  [[], [3]],
  [[3, 1], []],
  [[0, 3], [1, 3]],
  [[1], [2, 1, 1]],
];

function binary(
  primitive: string,
  op: (a: Tensor, b: Tensor) => Tensor,
  f: (a: number, b: number) => number,
  kinds: [Kind, Kind],
  differentiable: boolean,
): PrimitiveCase[] {
  return BINARY_SHAPES.map(([sa, sb]) => ({
    primitive,
    label: `${primitive} [${sa.join(', ')}] ∘ [${sb.join(', ')}]`,
    inputs: [{ shape: sa, kind: kinds[0] }, { shape: sb, kind: kinds[1] }],
    op: ([a, b]) => op(a!, b!),
    reference: ([a, b]) => zip(a!, b!, f),
    ...(differentiable ? { wrt: [0, 1] } : {}),
  }));
}

const WHERE_SHAPES: readonly (readonly (readonly number[])[])[] = [
  [[2, 3], [2, 3], [2, 3]],
  [[2, 1, 3], [4, 3], [2, 4, 1]],
  [[], [3], [2, 1]],
  [[0, 1], [1, 2], [2]],
];

export const ELEMENTWISE_CASES: readonly PrimitiveCase[] = [
  ...unary('neg', neg, (v) => -v, 'float', true),
  ...unary('exp', exp, Math.exp, 'float', true),
  ...unary('log', log, Math.log, 'positive', true),
  ...unary('log1p', log1p, Math.log1p, 'positive', true),
  ...unary('sqrt', sqrt, Math.sqrt, 'positive', true),
  ...unary('sin', sin, Math.sin, 'float', true),
  ...unary('cos', cos, Math.cos, 'float', true),
  ...unary('tanh', tanh, Math.tanh, 'float', true),
  ...unary('sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v)), 'float', true),
  ...unary('abs', abs, Math.abs, 'float', true),
  ...unary('sign', sign, Math.sign, 'small', false),
  ...unary('floor', floor, Math.floor, 'float', false),
  ...binary('add', add, (a, b) => a + b, ['float', 'float'], true),
  ...binary('sub', sub, (a, b) => a - b, ['float', 'float'], true),
  ...binary('mul', mul, (a, b) => a * b, ['float', 'float'], true),
  ...binary('div', div, (a, b) => a / b, ['float', 'positive'], true),
  ...binary('maximum', maximum, Math.max, ['float', 'float'], true),
  {
    // Ties: the central difference of max(a, b) at a = b is 1/2 for each side.
    primitive: 'maximum',
    label: 'maximum with ties',
    inputs: [{ shape: [4], values: [1, -2, 0.5, 3] }, { shape: [4], values: [1, -2, 0.25, 3] }],
    op: ([a, b]) => maximum(a!, b!),
    reference: ([a, b]) => zip(a!, b!, Math.max),
    wrt: [0, 1],
  },
  {
    primitive: 'maximum',
    label: 'maximum propagates NaN from either side',
    inputs: [{ shape: [3], values: [NaN, 1, NaN] }, { shape: [3], values: [1, NaN, NaN] }],
    op: ([a, b]) => maximum(a!, b!),
    reference: ([a, b]) => zip(a!, b!, Math.max),
  },
  ...binary('less', less, (a, b) => (a < b ? 1 : 0), ['small', 'small'], false),
  ...binary('equal', equal, (a, b) => (a === b ? 1 : 0), ['small', 'small'], false),
  ...WHERE_SHAPES.map(([sc, sa, sb]) => ({
    primitive: 'where',
    label: `where [${sc!.join(', ')}] ? [${sa!.join(', ')}] : [${sb!.join(', ')}]`,
    inputs: [{ shape: sc!, kind: 'mask' as const }, { shape: sa! }, { shape: sb! }],
    op: ([c, a, b]: Tensor[]) => where(c!, a!, b!),
    reference: ([c, a, b]: ReturnType<typeof map>[]) => select(c!, a!, b!),
    wrt: [1, 2],
  })),
];

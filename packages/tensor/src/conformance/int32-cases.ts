import { concat } from '../ops/concat.js';
import { gather } from '../ops/gather.js';
import { max } from '../ops/max.js';
import { pad } from '../ops/pad.js';
import { permute } from '../ops/permute.js';
import { sign } from '../ops/sign.js';
import { slice } from '../ops/slice.js';
import { sum } from '../ops/sum.js';
import { where } from '../ops/where.js';
import type { PrimitiveCase } from './case.js';
import * as R from './reference.js';

/** int32 data through the primitives that accept it: exact results expected. */
export const INT32_CASES: readonly PrimitiveCase[] = [
  {
    primitive: 'sum',
    label: 'sum int32 [3, 4] axis 1',
    inputs: [{ shape: [3, 4], kind: 'index', max: 1000 }],
    op: ([x]) => sum(x!, 1),
    reference: ([x]) => R.reduce(x!, [1], false, 'sum'),
    dtype: 'int32',
  },
  {
    primitive: 'max',
    label: 'max int32 [3, 4] axis 0',
    inputs: [{ shape: [3, 4], kind: 'index', max: 1000 }],
    op: ([x]) => max(x!, 0),
    reference: ([x]) => R.reduce(x!, [0], false, 'max'),
    dtype: 'int32',
  },
  {
    primitive: 'sign',
    label: 'sign int32',
    inputs: [{ shape: [5], kind: 'index', values: [-7, 0, 3, -1, 100] }],
    op: ([x]) => sign(x!),
    reference: ([x]) => R.map(x!, Math.sign),
    dtype: 'int32',
  },
  {
    primitive: 'permute',
    label: 'permute int32 [2, 3, 2] by [1, 2, 0]',
    inputs: [{ shape: [2, 3, 2], kind: 'index', max: 50 }],
    op: ([x]) => permute(x!, [1, 2, 0]),
    reference: ([x]) => R.permute(x!, [1, 2, 0]),
    dtype: 'int32',
  },
  {
    primitive: 'slice',
    label: 'slice int32 [3, 4] at [1, 1] size [2, 2]',
    inputs: [{ shape: [3, 4], kind: 'index', max: 50 }],
    op: ([x]) => slice(x!, [1, 1], [2, 2]),
    reference: ([x]) => R.slice(x!, [1, 1], [2, 2]),
    dtype: 'int32',
  },
  {
    primitive: 'pad',
    label: 'pad int32 [2, 2] with 7',
    inputs: [{ shape: [2, 2], kind: 'index', max: 50 }],
    op: ([x]) => pad(x!, [[1, 0], [0, 2]], 7),
    reference: ([x]) => R.pad(x!, [[1, 0], [0, 2]], 7),
    dtype: 'int32',
  },
  {
    primitive: 'concat',
    label: 'concat int32 along axis 1',
    inputs: [{ shape: [2, 1], kind: 'index', max: 50 }, { shape: [2, 3], kind: 'index', max: 50 }],
    op: (xs) => concat(xs, 1),
    reference: (xs) => R.concat(xs, 1),
    dtype: 'int32',
  },
  {
    primitive: 'gather',
    label: 'gather int32 rows',
    inputs: [{ shape: [4, 2], kind: 'index', max: 50 }, { shape: [3], kind: 'index', max: 4 }],
    op: ([x, i]) => gather(x!, i!, 0),
    reference: ([x, i]) => R.gather(x!, i!, 0),
    dtype: 'int32',
  },
  {
    primitive: 'where',
    label: 'where selecting int32',
    inputs: [{ shape: [2, 3], kind: 'mask' }, { shape: [3], kind: 'index', max: 50 }, { shape: [2, 1], kind: 'index', max: 50 }],
    op: ([c, a, b]) => where(c!, a!, b!),
    reference: ([c, a, b]) => R.select(c!, a!, b!),
    dtype: 'int32',
  },
];

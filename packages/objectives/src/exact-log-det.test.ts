import { describe, expect, test } from 'vitest';
import { ShapeError, type Tensor, grad, sum, tensor } from '@rheo/tensor';
import { denseJacobian, exactLogDet } from './exact-log-det.js';
import { type BlockTensors, D, applyBlock, blockTensors, jacobianFd, logAbsDet, logDetParamGradFd, logDetRef, makeBlock } from './testing/residual-block.js';

const params = makeBlock(0.6);
const points = [[0.3, -0.2, 0.5, 0.1], [-1, 0.4, 0.2, -0.7], [0.05, 0.9, -0.4, 1.2]];

describe('exactLogDet', () => {
  test('matches log|det(I + J)| of the finite-difference Jacobian, per sample', () => {
    const p = blockTensors(params);
    const got = exactLogDet((x) => applyBlock(x, p), tensor(points)).dataSync();
    points.forEach((x, s) => expect(got[s]!).toBeCloseTo(logAbsDet(jacobianFd(params, x)), 5));
  });

  test('the dense Jacobian has J[s, i, j] = ∂g_i/∂x_j', () => {
    const p = blockTensors(params);
    const J = denseJacobian((x) => applyBlock(x, p), tensor(points)).dataSync();
    points.forEach((x, s) => {
      const fd = jacobianFd(params, x);
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) expect(J[s * 16 + i * 4 + j]!).toBeCloseTo(fd[i]![j]! - (i === j ? 1 : 0), 5);
    });
  });

  test('is differentiable in the weights: autodiff matches finite differences of the float64 reference', () => {
    const x = points[1]!;
    const g = grad((p: BlockTensors) => sum(exactLogDet((y) => applyBlock(y, p), tensor([x]))))(blockTensors(params));
    const got = [...g.b.dataSync(), ...g.w1.dataSync(), ...g.w2.dataSync()];
    const fd = logDetParamGradFd(params, x);
    got.forEach((v, i) => expect(v).toBeCloseTo(fd[i]!, 4));
    expect(logDetRef(params, x)).toBeCloseTo(logAbsDet(jacobianFd(params, x)), 6);
  });

  test('rejects an input that is not [n, d]', () => {
    expect(() => exactLogDet((y: Tensor) => y, tensor([1, 2]))).toThrow(ShapeError);
  });
});

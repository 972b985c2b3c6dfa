import { expect, it } from 'vitest';
import { key, mean, memory, square, sub, tanh, uniform, valueAndGrad, type Tensor } from '@rheo/tensor';
import { adamInit, adamStep } from './adam';
import { emaInit, emaUpdate } from './ema';
import type { LinearParams } from './linear';
import { mlp } from './mlp';
import { disposeTree } from './tree-names';

it('params, Adam state and EMA keep memory().buffers flat over 50 steps', () => {
  const x = uniform(key(1), [16, 3]);
  const y = tanh(x);
  const net = mlp(key(2), [3, 8, 3], { activation: 'swish' });
  let params = net.params;
  let adam = adamInit(params);
  let ema = emaInit(params);
  const loss = (p: LinearParams[]): Tensor => mean(square(sub(net.apply(p, x), y)));
  const counts: number[] = [];
  for (let step = 0; step < 50; step++) {
    const [value, g] = valueAndGrad(loss)(params);
    const [p2, a2] = adamStep(params, g, adam, { lr: 1e-2, clipNorm: 1 });
    const e2 = emaUpdate(ema, p2, 0.99, { schedule: 'warmup' });
    disposeTree([params, adam, ema, g, value]);
    [params, adam, ema] = [p2, a2, e2];
    counts.push(memory().buffers);
  }
  // Old trees are disposed as soon as the new ones exist, so the live count is the same after every step.
  expect(new Set(counts).size).toBe(1);
  expect(params.every((p) => !p.w.isDisposed)).toBe(true);
});

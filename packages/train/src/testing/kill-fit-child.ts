// A fit run for the kill-and-resume test, started as its own process: node --import tsx kill-fit-child.ts PATH STEPS.
// Large enough parameters (10^6 floats, 12 MB checkpoints with Adam's moments) that kills often land inside a save.
import { key, mean, mul, normal, square, sub, zeros } from '@rheo/tensor';
import { fit } from '../fit.js';

const [path, steps] = process.argv.slice(2);
const n = 1_000_000;
const target = normal(key(9), [n]);
await fit<{ w: ReturnType<typeof zeros> }, null, number>({
  params: { w: zeros([n]) },
  loss: (p, s) => mean(square(sub(p.w, mul(target, 1 + s / 100)))),
  batch: (s) => s,
  steps: Number(steps),
  key: key(1),
  optimizer: { lr: 0.01 },
  checkpoint: { path: path!, every: 1 },
});

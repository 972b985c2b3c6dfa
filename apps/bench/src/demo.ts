// The first demo of the engine (now `pnpm --filter @rheo/bench demo`): trains a 64-64-64-10 MLP
// classifier on the UCI digits with Adam, prints its loss falling, and saves
// the final parameters as a safetensors checkpoint.
//
// Usage: tsx src/demo.ts [--out DIR]   (default DIR: out/ under this app)
import { join, resolve } from 'node:path';
import {
  ArgumentError, backendInfo, fold, gather, key, logSoftmax, mean, mul, split, sum, tensor, threefry2x32, tidy, valueAndGrad,
  type Key, type Tensor,
} from '@rheo/tensor';
import { adamInit, adamStep, disposeTree, mlp, treeToNamed, type LinearParams } from '@rheo/nn';
import { saveCheckpoint } from '@rheo/nn/node';
import { makeDirs } from '@rheo/eval/node';
import { readDigits } from './digits.js';

function outDir(argv: readonly string[]): string {
  const i = argv.findIndex((a) => a === '--out' || a.startsWith('--out='));
  if (i < 0) return resolve(import.meta.dirname, '../out');
  const value = argv[i]!.startsWith('--out=') ? argv[i]!.slice('--out='.length) : argv[i + 1];
  if (!value) throw new ArgumentError('demo --out: expected a directory after --out, received nothing');
  return resolve(value);
}

const out = outDir(process.argv.slice(2));
const dataDir = process.env.RHEO_DATA_DIR ?? resolve(import.meta.dirname, '../../../../shared/data');
const digits = readDigits(resolve(dataDir, 'digits/digits.csv.gz'));
const nTest = 297;
const nTrain = digits.n - nTest;
const steps = Number(process.env.RHEO_DEMO_STEPS ?? 300);

const [kNet, kData] = split(key(0), 2);
const net = mlp(kNet!, [64, 64, 64, 10], { activation: 'tanh' });

function crossEntropy(p: LinearParams[], x: Tensor, oneHot: Tensor): Tensor {
  return mul(mean(sum(mul(logSoftmax(net.apply(p, x)), oneHot), 1)), -1);
}

function oneHot(labels: Int32Array): Tensor {
  const v = new Float32Array(labels.length * 10);
  labels.forEach((l, i) => (v[i * 10 + l] = 1));
  return tensor(v, [labels.length, 10]);
}

/** Minibatch indices drawn uniformly from the step's key. */
function batchIndices(k: Key, n: number, size: number): Tensor {
  const words = new Uint32Array(2);
  const idx = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    threefry2x32(k.k0, k.k1, i, 0, words, 0);
    idx[i] = Math.floor((words[0]! / 2 ** 32) * n);
  }
  return tensor(idx);
}

function accuracy(p: LinearParams[], x: Tensor, labels: Int32Array): number {
  const logits = tidy(() => net.apply(p, x));
  const v = logits.dataSync();
  logits.dispose();
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (v[i * 10 + c]! > v[i * 10 + best]!) best = c;
    if (best === labels[i]) hits++;
  }
  return hits / labels.length;
}

const xTrain = tensor(digits.x.subarray(0, nTrain * 64), [nTrain, 64]);
const yTrain = oneHot(digits.labels.subarray(0, nTrain));
const xTest = tensor(digits.x.subarray(nTrain * 64), [nTest, 64]);
const labelsTest = digits.labels.subarray(nTrain);

console.log(`rheo demo: MLP 64-64-64-10 on UCI digits (${nTrain} train / ${nTest} test rows), backend: ${backendInfo().description}`);
const batch = 128;
let params = net.params;
let adam = adamInit(params);
let acc = 0;
const t0 = performance.now();
for (let step = 1; step <= steps; step++) {
  const [loss, g] = tidy(() => {
    const idx = batchIndices(fold(kData!, step), nTrain, batch);
    return valueAndGrad((p: LinearParams[]) => crossEntropy(p, gather(xTrain, idx, 0), gather(yTrain, idx, 0)))(params);
  });
  const [nextParams, nextAdam] = adamStep(params, g, adam, { lr: 3e-3 });
  disposeTree([params, adam, g]);
  [params, adam] = [nextParams, nextAdam];
  if (step === 1 || step % 25 === 0 || step === steps) {
    acc = accuracy(params, xTest, labelsTest);
    console.log(`step ${String(step).padStart(4)}  train loss ${loss.item().toFixed(4)}  test accuracy ${(100 * acc).toFixed(1)}%`);
  }
  loss.dispose();
}
console.log(`done: ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

makeDirs(out, 'demo output folder');
const file = join(out, 'digits-mlp.safetensors');
await saveCheckpoint(file, treeToNamed(params), { model: 'mlp 64-64-64-10 tanh', steps: String(steps), testAccuracy: acc.toFixed(4) });
console.log(`saved parameters to ${file}`);

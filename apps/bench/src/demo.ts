// A short demo until the benchmark suites land: trains a 64-64-64-10 MLP
// classifier on the UCI digits with Adam and prints its loss falling.
import { resolve } from 'node:path';
import {
  add, backendInfo, div, fold, gather, keep, key, logSoftmax, matmul, mean, mul, normal, split, sqrt, sub, sum,
  tanh, tensor, threefry2x32, tidy, valueAndGrad, type Key, type Tensor,
} from '@rheo/tensor';
import { readDigits } from './digits.js';

type Params = Record<'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'b3', Tensor>;

const dataDir = process.env.RHEO_DATA_DIR ?? resolve(import.meta.dirname, '../../../../shared/data');
const digits = readDigits(resolve(dataDir, 'digits/digits.csv.gz'));
const nTest = 297;
const nTrain = digits.n - nTest;
const steps = Number(process.env.RHEO_DEMO_STEPS ?? 300);

function layer(k: Key, fanIn: number, fanOut: number): [Tensor, Tensor] {
  // Glorot-scaled normal weights, zero biases.
  return [mul(normal(k, [fanIn, fanOut]), Math.sqrt(2 / (fanIn + fanOut))), tensor(new Float32Array(fanOut))];
}

function logits(p: Params, x: Tensor): Tensor {
  const h1 = tanh(add(matmul(x, p.w1), p.b1));
  const h2 = tanh(add(matmul(h1, p.w2), p.b2));
  return add(matmul(h2, p.w3), p.b3);
}

function crossEntropy(p: Params, x: Tensor, oneHot: Tensor): Tensor {
  return mul(mean(sum(mul(logSoftmax(logits(p, x)), oneHot), 1)), -1);
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

function accuracy(p: Params, x: Tensor, labels: Int32Array): number {
  const out = tidy(() => logits(p, x));
  const v = out.dataSync();
  out.dispose();
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (v[i * 10 + c]! > v[i * 10 + best]!) best = c;
    if (best === labels[i]) hits++;
  }
  return hits / labels.length;
}

const root = key(0);
const [k1, k2, k3, kData] = split(root, 4);
const [w1, b1] = layer(k1!, 64, 64);
const [w2, b2] = layer(k2!, 64, 64);
const [w3, b3] = layer(k3!, 64, 10);
let params: Params = { w1, b1, w2, b2, w3, b3 };
const names = Object.keys(params) as (keyof Params)[];
let m = Object.fromEntries(names.map((n) => [n, mul(params[n], 0)])) as Params;
let v = Object.fromEntries(names.map((n) => [n, mul(params[n], 0)])) as Params;

const xTrain = tensor(digits.x.subarray(0, nTrain * 64), [nTrain, 64]);
const yTrain = oneHot(digits.labels.subarray(0, nTrain));
const xTest = tensor(digits.x.subarray(nTrain * 64), [nTest, 64]);
const labelsTest = digits.labels.subarray(nTrain);

console.log(`rheo demo: MLP 64-64-64-10 on UCI digits (${nTrain} train / ${nTest} test rows), backend: ${backendInfo().description}`);
const lr = 3e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, batch = 128;
const t0 = performance.now();
for (let step = 1; step <= steps; step++) {
  const loss = tidy(() => {
    const idx = batchIndices(fold(kData!, step), nTrain, batch);
    const xb = gather(xTrain, idx, 0);
    const yb = gather(yTrain, idx, 0);
    const [value, g] = valueAndGrad((p: Params) => crossEntropy(p, xb, yb))(params);
    // Adam (Kingma & Ba 2015, arXiv:1412.6980) with bias correction.
    const next = {} as Params, nm = {} as Params, nv = {} as Params;
    for (const n of names) {
      nm[n] = keep(add(mul(m[n], beta1), mul(g[n], 1 - beta1)));
      nv[n] = keep(add(mul(v[n], beta2), mul(mul(g[n], g[n]), 1 - beta2)));
      const mhat = div(nm[n], 1 - beta1 ** step);
      const vhat = div(nv[n], 1 - beta2 ** step);
      next[n] = keep(sub(params[n], mul(div(mhat, add(sqrt(vhat), eps)), lr)));
    }
    for (const n of names) [params[n], m[n], v[n]].forEach((t) => t.dispose());
    [params, m, v] = [next, nm, nv];
    return value;
  });
  if (step === 1 || step % 25 === 0 || step === steps) {
    const acc = accuracy(params, xTest, labelsTest);
    console.log(`step ${String(step).padStart(4)}  train loss ${loss.item().toFixed(4)}  test accuracy ${(100 * acc).toFixed(1)}%`);
  }
  loss.dispose();
}
console.log(`done: ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

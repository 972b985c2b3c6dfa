// The training demo's worker: trains one model on one toy density, step by
// step, so the page stays responsive; reports losses after every step and a
// snapshot (samples and the learned density on a grid) a few times a second.
import { TOY_2D, type Toy2dName } from '@rheo/data';
import { densityGrid, histogramGrid } from '@rheo/eval';
import { adamInit, adamStep, disposeTree, type AdamState, type StateTree } from '@rheo/nn';
import { backendInfo, fold, key, setBackend, tensor, tidy, valueAndGrad, type Tensor, type TensorTree } from '@rheo/tensor';
import '@rheo/tensor/webgpu';
import type { Model } from '@rheo/models';
import { DEMO_MODELS, demoModel, isDemoModel, type DemoModelName } from './demo-models.js';
import { DEMO_GRID, type FromWorker, type ToWorker } from './messages.js';

const BATCH = 256;
// Global-norm clipping keeps an occasional outlier batch from throwing a flow off.
const CLIP_NORM = 10;
// Snapshots (a thousand samples, the density on a 64×64 grid) cost a few steps' work: take one at
// most every SNAPSHOT_MS, and never spend more than a quarter of the time on them.
const SNAPSHOT_MS = 700;
const SNAPSHOT_SHARE = 0.25;

interface State {
  model: Model;
  name: DemoModelName;
  toy: (k: ReturnType<typeof key>, n: number) => Tensor;
  params: TensorTree;
  buffers: StateTree;
  adam: AdamState<TensorTree>;
  step: number;
  seed: number;
}

let state: State | null = null;
let running = false;
let looping = false;

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

async function setup(m: Extract<ToWorker, { type: 'setup' }>): Promise<void> {
  if (!Object.hasOwn(TOY_2D, m.toy)) throw new Error(`setup(toy): received ${JSON.stringify(m.toy)}; expected one of ${Object.keys(TOY_2D).join(', ')}`);
  if (!isDemoModel(m.model)) throw new Error(`setup(model): received ${JSON.stringify(m.model)}; expected realnvp, saef or residual`);
  const gpu = m.backend === 'auto' && (await navigator.gpu?.requestAdapter()) != null;
  await setBackend(gpu ? 'webgpu' : 'cpu', { quiet: true });
  const toy = TOY_2D[m.toy as Toy2dName];
  const data = toy(key(m.seed + 1), 2048);
  const model = demoModel(m.model, key(m.seed), data);
  const shown = await data.data();
  data.dispose();
  state = { model, name: m.model, toy, params: model.params, buffers: model.buffers, adam: adamInit(model.params), step: 0, seed: m.seed };
  const ready = Float32Array.from(shown.subarray(0, 2 * 1000));
  post({ type: 'ready', backend: backendInfo().description, gpu: backendInfo().name === 'webgpu', data: ready }, [ready.buffer]);
  await snapshot(state);
}

/**
 * One Adam step of the model's own loss (NLL for flows, energy score for the
 * sampler) on a fresh batch. Returns the loss tensor unread: reading it after
 * the next step is queued keeps a GPU busy instead of waiting on each read.
 */
function trainStep(s: State): Tensor {
  const step = s.step + 1;
  const k = fold(key(s.seed + 2), step);
  const [lossT, grads] = tidy(() => valueAndGrad((p: TensorTree) => s.model.fitSpec.loss(p, s.toy(fold(k, 0), BATCH), { key: fold(k, 1), buffers: s.buffers, training: true }))(s.params));
  const [params, adam] = adamStep(s.params, grads, s.adam, { lr: DEMO_MODELS[s.name].lr, clipNorm: CLIP_NORM });
  disposeTree(grads as StateTree);
  const update = s.model.fitSpec.updateBuffers;
  if (update !== undefined) {
    const next = tidy(() => update(params, s.buffers));
    if (next !== s.buffers && s.step > 0) disposeTree(s.buffers);
    s.buffers = next;
  }
  // The model's initial trees back its default calls; only trees made here are freed.
  if (s.step > 0) disposeTree(s.params as StateTree);
  disposeTree([s.adam] as StateTree);
  s.params = params;
  s.adam = adam;
  s.step = step;
  return lossT;
}

async function readLoss(t: Tensor): Promise<number> {
  const v = (await t.data())[0]!;
  t.dispose();
  return v;
}

async function snapshot(s: State): Promise<void> {
  const k = fold(key(s.seed + 3), s.step);
  const o = { params: s.params, buffers: s.buffers };
  const samplesT = tidy(() => s.model.sample(1000, { key: k, ...o }));
  const samples = Float32Array.from(await samplesT.data());
  samplesT.dispose();
  let density: Float64Array;
  let log = true;
  if (s.model.kind === 'flow') {
    const flow = s.model;
    const grid = await densityGrid(async (pts) => {
      const lp = tidy(() => flow.logProb(tensor(Float32Array.from(pts.data), [pts.rows, 2]), o));
      const v = await lp.data();
      lp.dispose();
      return v;
    }, DEMO_GRID);
    density = grid.values;
  } else {
    const manyT = tidy(() => s.model.sample(8000, { key: fold(k, 1), ...o }));
    const many = await manyT.data();
    manyT.dispose();
    density = histogramGrid({ data: Float32Array.from(many), rows: 8000, cols: 2 }, DEMO_GRID).values;
    log = false;
  }
  post({ type: 'snapshot', step: s.step, samples, density, log }, [samples.buffer, density.buffer]);
}

async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  let pending: number[] = [];
  let lastSnapshot = performance.now();
  let snapshotCost = 0;
  let unread: Tensor | null = null;
  let lastReport = performance.now();
  let windowStart = performance.now();
  let windowSteps = 0;
  try {
    while (running && state !== null) {
      const loss = trainStep(state);
      if (unread !== null) pending.push(await readLoss(unread));
      unread = loss;
      windowSteps++;
      const now = performance.now();
      if (now - lastReport > 100) {
        post({ type: 'progress', step: state.step - (unread !== null ? 1 : 0), losses: pending, stepsPerSecond: (1000 * windowSteps) / (now - windowStart) });
        pending = [];
        lastReport = now;
        if (now - windowStart > 3000) { windowStart = now; windowSteps = 0; }
      }
      if (now - lastSnapshot > Math.max(SNAPSHOT_MS, snapshotCost / SNAPSHOT_SHARE)) {
        await snapshot(state);
        lastSnapshot = performance.now();
        snapshotCost = lastSnapshot - now;
      }
      // A macrotask turn, so a pause message is seen even when every read resolves at once (the CPU backend).
      await new Promise((r) => setTimeout(r, 0));
    }
    if (unread !== null) pending.push(await readLoss(unread));
    if (state !== null) {
      if (pending.length > 0) post({ type: 'progress', step: state.step, losses: pending, stepsPerSecond: 0 });
      await snapshot(state);
    }
  } finally {
    looping = false;
  }
  // A run message that came while this loop was finishing a pause found it busy: go on for it.
  if (running) kick();
}

function fail(err: unknown): void {
  running = false;
  post({ type: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
}

function kick(): void {
  loop().catch(fail);
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'setup') setup(m).catch(fail);
  else if (m.type === 'run') { running = true; kick(); }
  else if (m.type === 'pause') running = false;
};

import { join } from 'node:path';
import { toyEntropy, type Toy2dName } from '@rheo/data';
import { exp, fold, key, tensor, tidy, type Key } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { datasetKind, loadDataset, TOY_NAMES } from '../datasets.js';
import { couplingFlow, residualFlow, saefGenerator, type BenchModel } from '../models.js';
import { nsfFlow } from '../models.js';
import { heatmapSvg, scatterSvg, type Grid2d } from '@rheo/eval';
import { writePlot } from '@rheo/eval/node';
import type { Objective } from '../train-model.js';
import { trainAndMeasure, type Measured } from './measure.js';
import { ArgumentError } from '@rheo/tensor';

const VIEW = 4.5;
/** The default run's sets: those with a known entropy (8gaussians, checkerboard, rings, circles) and the spirals. */
const DEFAULT_TOYS: readonly Toy2dName[] = ['8gaussians', 'checkerboard', 'rings', 'circles', '2spirals'];
const GRID = 96;

/** exp(log p) on a GRID×GRID lattice over [−VIEW, VIEW]², row 0 at the lowest y (read asynchronously: any backend). */
async function densityGrid(model: BenchModel, m: Measured, k: Key): Promise<Grid2d> {
  const pts = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      pts[(r * GRID + c) * 2] = -VIEW + ((c + 0.5) * 2 * VIEW) / GRID;
      pts[(r * GRID + c) * 2 + 1] = -VIEW + ((r + 0.5) * 2 * VIEW) / GRID;
    }
  }
  const p = tidy(() => exp(model.logProb!(m.trained.params, m.trained.buffers, tensor(pts, [GRID * GRID, 2]), k, false)));
  const values = Float64Array.from(await p.data());
  p.dispose();
  return { values, nx: GRID, ny: GRID, xRange: [-VIEW, VIEW], yRange: [-VIEW, VIEW] };
}

/** 2-D densities × {RealNVP by MLE, RealNVP by energy, SAEF sampler by energy, residual flow by MLE with Russian roulette}. */
export async function toySuite(ctx: RunContext): Promise<void> {
  const o = ctx.options;
  if (o.dataset !== undefined && datasetKind(o.dataset) !== 'toy') {
    throw new ArgumentError(`--dataset ${o.dataset}: the toy suite takes a 2-D data set; expected one of ${TOY_NAMES.join(', ')}`);
  }
  // The default run trains fewer sets for longer: the four whose entropy is known, and the spirals; --full runs all eight.
  const names = o.dataset !== undefined ? [o.dataset] : ctx.size({ quick: ['moons'], default: DEFAULT_TOYS, full: TOY_NAMES });
  // Maximum-likelihood flows train longest (validated every 100 steps, stopped after 5 evaluations without improvement);
  // the energy objective's samplers are judged by their samples and need fewer steps.
  const mleSteps = ctx.steps({ quick: 30, default: 2000, full: 20000 });
  const energySteps = ctx.steps({ quick: 30, default: 400, full: 3000 });
  const residualSteps = ctx.steps({ quick: 8, default: 1000, full: 10000 });
  const budgetMs = ctx.budgetMs(10);
  const config = {
    batch: ctx.size({ quick: 256, default: 256, full: 512 }), lr: 5e-3, samples: ctx.size({ quick: 300, default: 1000, full: 2000 }),
    metricRows: ctx.size({ quick: 300, default: 1000, full: 2000 }), nllRows: 2000, withMmd: true,
    validation: { every: ctx.size({ quick: 10, default: 100, full: 250 }), patience: 5 },
    ...(budgetMs !== undefined ? { budgetMs } : {}),
  };
  const base = key(o.seed);
  for (const [di, name] of names.entries()) {
    const data = await loadDataset(name, o.dataDir, fold(base, 100 + di), { train: 20000, test: 2000 });
    // The true entropy H = −E log p(X), by Monte Carlo over the exact density, where it can be evaluated.
    const h = toyEntropy(name as Toy2dName, fold(base, 300 + di), 100_000);
    // RealNVP by the energy score is left to --full and --quick: the default run's time goes to the residual flow, the best density here.
    const runs: Array<[BenchModel, Objective, number, number]> = [
      [couplingFlow(fold(base, 1), 2, { layers: 8, hidden: [64, 64] }), 'mle', mleSteps, config.lr],
      // NSF (spline couplings): 5 layers train in about the time of RealNVP's 8; 16 bins resolve the four rings (8 leave them 0.3 nats short).
      [nsfFlow(fold(base, 4), 2, { layers: 5, hidden: [64, 64], bins: 16 }), 'mle', mleSteps, config.lr],
      ...(o.size === 'default' ? [] : [[couplingFlow(fold(base, 1), 2, { layers: 6, hidden: [64, 64] }), 'energy', energySteps, 2e-3] as [BenchModel, Objective, number, number]]),
      [saefGenerator(fold(base, 2), 2, 1, { layers: 1, hidden: [64, 64] }), 'energy', energySteps, 2e-3],
      // Many narrow blocks with sharp LipSwish units (β = 30) at a higher rate (2e-2): at β = 1 the bounded units are nearly
      // linear over 2-D data and the flow idles at the best Gaussian for hundreds of steps (see the residualFlow preset).
      [residualFlow(fold(base, 3), 2, { layers: 24, hidden: [16, 16], coeff: 0.98, beta: 30 }), 'mle', residualSteps, 2e-2],
    ];
    const view: [number, number] = [-VIEW, VIEW];
    const plot = (file: string, title: string, svg: string) => {
      const rel = join('plots', file);
      writePlot(join(o.out, rel), svg);
      ctx.figure('toy', title, rel);
    };
    for (const [mi, [model, objective, s, lr]] of runs.entries()) {
      if (!ctx.wants(model.name, objective)) continue;
      const m = await trainAndMeasure(ctx, 'toy', data, model, objective, fold(base, 1000 * di + mi), { ...config, steps: s, lr });
      const nll = ctx.rows.find((r) => r.suite === 'toy' && r.dataset === name && r.model === model.name && r.objective === objective && r.metric === 'nll_nats');
      if (h !== undefined && nll) {
        ctx.add('toy', { dataset: name, model: model.name, objective, metric: 'entropy_nats', value: h.entropy, unit: 'nats' });
        ctx.add('toy', { dataset: name, model: model.name, objective, metric: 'nll_minus_entropy', value: nll.value - h.entropy, unit: 'nats' });
      }
      const what = `${name}: ${model.name} / ${objective}`;
      const samples = { data: m.samples, rows: m.samples.length / 2, cols: 2 };
      const test = { data: data.test.data.subarray(0, samples.rows * 2), rows: Math.min(samples.rows, data.test.rows), cols: 2 };
      plot(`toy-${name}-${model.name}-${objective}-samples.svg`, `${what}, samples against test data`, scatterSvg({ samples, data: test, title: what, xRange: view, yRange: view }));
      if (model.logProb) plot(`toy-${name}-${model.name}-${objective}-density.svg`, `${what}, density`, heatmapSvg(await densityGrid(model, m, fold(base, 7)), { title: `${what}: density` }));
    }
  }
  ctx.note('toy', 'entropy_nats is the true entropy of the set, −E log p(X) by Monte Carlo over its exact density (100,000 draws, standard error about 0.002); nll_minus_entropy ≥ 0 in expectation is how far a flow is from the data\'s density (its KL divergence from the data). Maximum-likelihood models are validated on 2000 held-out draws and keep their best parameters; steps_run says where early stopping ended a run.');
  ctx.note('toy', 'Energy distance between 1000 model samples and 1000 fresh test draws; NLL on fresh test draws (SAEF samplers have no density). Energy distance and MMD are the unbiased two-sample estimates, so near 0 they can come out slightly negative.');
}

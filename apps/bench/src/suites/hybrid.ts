import { realNVP, residualFlow, type FlowModel } from '@rheo/models';
import { flattenTree, fold, key, tensor, tidy, type Key } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { evaluateHybrid } from '../hybrid/evaluate-hybrid.js';
import { hybridModel, trainHybrid } from '../hybrid/hybrid-model.js';
import { labelledDigits, labelledMnist, labelledSplit, type LabelledImages } from '../hybrid/labelled-images.js';

interface Family {
  readonly name: string;
  readonly make: (k: Key, d: number) => FlowModel;
}

/**
 * A residual flow against a coupling flow of about the same parameter count
 * (Chen et al. 2019, arXiv:1906.02735, Table 3 at laptop scale): 4 residual
 * blocks (hidden [64, 64], Lipschitz 0.97, LipSwish) and 4 RealNVP affine
 * couplings (hidden [64, 64]), each with ActNorm.
 */
const FAMILIES: readonly Family[] = [
  { name: 'residual', make: (k, d) => residualFlow(k, d, { blocks: 4, hidden: [64, 64] }) },
  { name: 'realnvp', make: (k, d) => realNVP(k, d, { transforms: 4, hidden: [64, 64] }) },
];

function lambdas(d: number): Array<[string, number]> {
  return [['λ=0', 0], [`λ=1/D`, 1 / d], ['λ=1', 1]];
}

/**
 * Hybrid generative–discriminative modelling (Nalisnick et al. 2019,
 * arXiv:1902.02767; Chen et al. 2019, arXiv:1906.02735, §5.3): a flow with a
 * linear classifier on the first half of its latent, trained on
 * −mean[λ·log p(x) + log p(y | x)] for λ ∈ {0, 1/D, 1}; test accuracy,
 * test cross-entropy and test bits/dim for a residual and a coupling flow.
 */
export async function hybridSuite(ctx: RunContext): Promise<void> {
  const o = ctx.options;
  const sets: LabelledImages[] = [labelledDigits(o.dataDir), labelledMnist(o.dataDir, o.size === 'full' ? 2 : 4)];
  const steps = ctx.steps({ quick: 10, default: 400, full: 2000 });
  const nllRows = ctx.size({ quick: 64, default: 360, full: 500 });
  const base = key(o.seed);
  for (const [si, img] of sets.entries()) {
    const split = labelledSplit(img, fold(base, 700 + si), 0.2);
    const d = img.dim;
    const n0 = Math.min(split.data.train.rows, 1024);
    const init = tensor(split.data.train.data.subarray(0, n0 * d), [n0, d]);
    for (const [fi, fam] of FAMILIES.entries()) {
      for (const [li, [label, lambda]] of lambdas(d).entries()) {
        if (!ctx.wants(fam.name, label)) continue;
        const k = fold(base, 10_000 * si + 100 * fi + li);
        // The same initial flow for every λ: only the objective differs.
        const flow = tidy(() => fam.make(fold(base, 10_000 * si + 100 * fi), d).initialize(init));
        const h = hybridModel(flow, 10, Math.ceil(d / 2));
        const trained = await trainHybrid(h, split.data.train, split.trainLabels, lambda, k, {
          steps, batch: 64, lr: 1e-3, label: `hybrid ${img.name} ${fam.name} ${label}`,
        });
        // An exact residual log-det at d > 64 takes minutes and gigabytes per 1,000 rows: above that, the unbiased estimate.
        const estimate = fam.name === 'residual' && d > 64;
        const s = await evaluateHybrid(h, trained.params, trained.buffers, split, nllRows, estimate ? fold(k, 5) : undefined);
        const row = (metric: string, value: number, unit: string) => ctx.add('hybrid', { dataset: img.name, model: fam.name, objective: label, metric, value, unit });
        row('test_accuracy', s.accuracy, 'fraction');
        row('test_cross_entropy', s.crossEntropy, 'nats');
        row('bits_per_dim', s.bitsPerDim, s.estimated ? 'bits/dim (Russian-roulette estimate)' : 'bits/dim');
        row('params', flattenTree(flow.params).leaves.reduce((a, t) => a + t.size, 0) + 10 * (Math.ceil(d / 2) + 1), 'parameters');
        row('train_step_ms', trained.stepMs, 'ms');
        row('train_s', trained.seconds, 's');
      }
    }
    init.dispose();
    ctx.note('hybrid', `${img.name}: ${img.description}; ${split.data.train.rows} training and ${split.data.test.rows} test images (a seeded shuffle, last 20% held out; accuracy and cross-entropy on all test images, bits/dim on the first ${Math.min(nllRows, split.data.test.rows)}), dequantised (v + u)/${img.levels} and logit-transformed with α = ${img.alpha}; bits/dim of the discrete pixels with the dequantisation and logit log-determinants.`);
  }
  ctx.note('hybrid', `Each flow feeds the first ⌈D/2⌉ latent coordinates to a linear softmax classifier; flow and classifier are trained together on −mean[λ·log p(x) + log p(y|x)] (${steps} Adam steps, batch 64, lr 1e-3 with cosine decay). λ = 0 never computes a log-determinant: its bits/dim are those of an untrained density. Residual flows train on the Russian-roulette log-det estimate and are evaluated with the exact log-det (above 64 dimensions, with the unbiased Russian-roulette estimate: the exact one costs minutes and gigabytes per 1,000 rows there).`);
}

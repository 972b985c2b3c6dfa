import { realNVP, residualFlow, saef, type Model } from '@rheo/models';
import type { Key, Tensor } from '@rheo/tensor';

/**
 * The models the training demo offers, each with its objective and Adam's
 * learning rate (the sampler's energy-score gradients are noisier: on the
 * moons, 600 steps reached an energy distance of 0.006 at 3·10⁻³ and 0.012
 * at 10⁻²).
 */
export const DEMO_MODELS = {
  realnvp: { label: 'RealNVP, maximum likelihood', objective: 'negative log-likelihood (nats)', lr: 1e-2 },
  saef: { label: 'SAEF sampler, energy score', objective: 'energy score', lr: 3e-3 },
  residual: { label: 'Residual flow, maximum likelihood', objective: 'negative log-likelihood (nats)', lr: 1e-2 },
} as const;

/** A key of `DEMO_MODELS`. */
export type DemoModelName = keyof typeof DEMO_MODELS;

/** Whether `name` is one of the demo's models. */
export function isDemoModel(name: string): name is DemoModelName {
  return Object.hasOwn(DEMO_MODELS, name);
}

/**
 * The demo's model, small enough to train live on a software GPU: RealNVP
 * (Dinh et al. 2017, arXiv:1605.08803) and a residual flow (Chen et al. 2019,
 * arXiv:1906.02735) by maximum likelihood with ActNorm set from `data`, and
 * the SAEF sampler (Si et al. 2023, arXiv:2206.06672) by the energy score.
 */
export function demoModel(name: DemoModelName, k: Key, data: Tensor): Model {
  switch (name) {
    case 'realnvp': return realNVP(k, 2, { transforms: 4, hidden: [32, 32] }).initialize(data);
    case 'residual': return residualFlow(k, 2, { blocks: 4, hidden: [48, 48] }).initialize(data);
    case 'saef': return saef(k, 2, { blockSize: 1, hidden: [48, 48] });
  }
}

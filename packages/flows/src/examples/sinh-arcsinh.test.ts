import { coupling, flow, logProb, maf, sample, semiAutoregressiveFlow, standardNormal } from '@rheo/flows';
import { describeLayerProperties, transformerCases } from '@rheo/flows/testing';
import { key, normal } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { sinhArcsinh } from './sinh-arcsinh.js';

// The one test-table row: the transformer in a coupling, a MAF and a semi-autoregressive layer, each with a context.
describeLayerProperties({ describe, it }, 'the CPU', transformerCases('sinh-arcsinh', sinhArcsinh));

it('makes a conditional flow of the three layers that starts at the identity', async () => {
  const tau = sinhArcsinh();
  const f = flow(standardNormal(4), [
    coupling(key(1), 4, { transformer: tau, contextDim: 2 }),
    maf(key(2), 4, { transformer: tau, contextDim: 2 }),
    semiAutoregressiveFlow(key(3), 4, { blockSize: 2, transformer: tau, contextDim: 2 }),
  ]);
  const context = normal(key(4), [8, 2]);
  const x = sample(f, f.params, f.buffers, key(5), 8, { context }); // [8, 4]
  const lp = logProb(f, f.params, f.buffers, x, { context }); // [8]
  // Fresh layers are the identity, so log p(x) is the standard normal's: −½‖x‖² − 2·log 2π.
  const xs = await x.data();
  const want = Array.from({ length: 8 }, (_, i) => -0.5 * [0, 1, 2, 3].reduce((s, j) => s + xs[4 * i + j]! ** 2, 0) - 2 * Math.log(2 * Math.PI));
  const got = await lp.data();
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 4));
});

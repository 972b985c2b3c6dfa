import * as tf from '@tensorflow/tfjs';
import type { LinearParams } from '@rheo/nn';
import { key, tensor, type TensorTree } from '@rheo/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { couplingFlow } from '../models.js';
import { tfjsCouplingFlow } from './tfjs-coupling-flow.js';

// Deterministic values in [−0.5, 0.5) from a sine hash, independent of both libraries' generators.
const vals = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => (Math.abs(Math.sin((i + 1) * 12.9898 + seed * 78.233)) % 1) - 0.5);

describe('tfjsCouplingFlow', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes the same log-density as the rheo RealNVP given the same weights (two implementations)', () => {
    const d = 5;
    const layers = 4;
    const hidden = [7];
    const rheo = couplingFlow(key(3), d, { layers, hidden, actNorm: false });
    const peer = tfjsCouplingFlow(d, layers, hidden, 0);
    // Overwrite every weight, including the zero-initialised output layers, with the same values.
    let v = 0;
    const params = (rheo.params as LinearParams[][]).map((net) => net.map((l) => {
      const [out, inn] = l.w.shape as [number, number];
      const w = vals(out * inn, v);
      const b = vals(out, v + 1);
      const tw = new Float32Array(inn * out);
      for (let o = 0; o < out; o++) for (let i = 0; i < inn; i++) tw[i * out + o] = w[o * inn + i]!;
      peer.variables[v]!.assign(tf.tensor2d(tw, [inn, out]));
      peer.variables[v + 1]!.assign(tf.tensor1d(b));
      v += 2;
      return { w: tensor(w, [out, inn]), b: tensor(b, [out]) };
    }));
    expect(v).toBe(peer.variables.length);
    const x = vals(6 * d, 99).map((a) => 4 * a);
    const mine = rheo.logProb!(params as TensorTree, rheo.buffers, tensor(x, [6, d]), key(0), false).dataSync();
    const theirs = peer.logProb(tf.tensor2d(x, [6, d])).dataSync();
    for (let i = 0; i < 6; i++) expect(Math.abs(theirs[i]! - mine[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(mine[i]!)));
    // Not the base density alone: the couplings changed it.
    const base = Array.from({ length: 6 }, (_, i) => -0.5 * x.slice(i * d, (i + 1) * d).reduce((a, c) => a + c * c, 0) - d * 0.5 * Math.log(2 * Math.PI));
    expect(Math.max(...base.map((b, i) => Math.abs(b - mine[i]!)))).toBeGreaterThan(0.1);
    peer.dispose();
  });

  it('starts from given rheo-layout weights (transposed into tfjs layout) and names a mismatched layer', () => {
    const d = 4;
    const init = [[{ w: vals(3 * 2, 1), b: vals(3, 2) }, { w: vals(4 * 3, 3), b: vals(4, 4) }]];
    const peer = tfjsCouplingFlow(d, 1, [3], 0, init);
    const w0 = peer.variables[0]!.arraySync() as number[][];
    // Entry (input j, output o) of the tfjs matrix is rheo's W[o][j] = w[o·2 + j].
    for (let o = 0; o < 3; o++) for (let j = 0; j < 2; j++) expect(w0[j]![o]).toBeCloseTo(init[0]![0]!.w[o * 2 + j]!, 6);
    expect(Array.from(peer.variables[3]!.dataSync())).toEqual(Array.from(init[0]![1]!.b));
    peer.dispose();
    expect(() => tfjsCouplingFlow(d, 1, [3], 0, [[init[0]![0]!]])).toThrow(/coupling 0, layer 1.*4×3 weight/);
  });
});

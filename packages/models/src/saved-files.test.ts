import { readFileSync } from 'node:fs';
import { tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { deserializeModel } from './index.js';

// Model files written by rheo 0.1.0 (before the flows layers took their transformer through a seam; a random MAF
// order is drawn from the file's key again, so the layers must draw it as before), at
// perturbed parameters, with the log-densities that version computed: the files must keep loading, to the same numbers.
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as Record<string, number[]>;
const x = tensor(Float32Array.from(expected['x']!), [4, 3]);
const context = tensor(Float32Array.from(expected['context']!), [4, 2]);

describe('model files saved by earlier versions', () => {
  for (const [name, withContext] of [['realnvp', false], ['maf-context', true], ['maf-random', false], ['residual-flow', false]] as const) {
    it(`${name}: loads, and its log-density matches the one recorded when it was saved`, async () => {
      const m = deserializeModel(new Uint8Array(readFileSync(fixture(`${name}.safetensors`))), name);
      if (m.kind !== 'flow') throw new Error(`${name}: expected a flow model`);
      const got = await m.logProb(x, withContext ? { context } : {}).data();
      expected[name]!.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    });
  }
});

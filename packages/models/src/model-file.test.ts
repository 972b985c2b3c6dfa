import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, type HostEntry } from '@rheo/nn';
import { saveCheckpoint } from '@rheo/nn/node';
import { key, normal, tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { createModel, deserializeModel, maf, realNVP, RHEO_VERSION, serializeModel } from './index.js';
import { loadModel, saveModel } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-models-'));

// Rewrites a model file's metadata or entries, as a damaged or foreign file would have them.
function edit(bytes: Uint8Array, change: (meta: Record<string, string>, entries: Record<string, HostEntry>) => void): Uint8Array {
  const { entries, metadata } = decodeSafetensors(bytes);
  const out: Record<string, HostEntry> = {};
  for (const [n, e] of entries) out[n] = { dtype: e.dtype === 'I32' ? 'int32' : 'float32', shape: e.shape, data: e.dtype === 'I32' ? new Int32Array(e.bytes.slice().buffer) : new Float32Array(e.bytes.slice().buffer) };
  change(metadata, out);
  return encodeSafetensors(out, metadata);
}

describe('model files', () => {
  it('saveModel / loadModel rebuild the model from the file alone', async () => {
    const m = maf(key(3), 4, { transforms: 2, hidden: [8], order: 'random' });
    const path = join(dir, 'maf.safetensors');
    await saveModel(path, m);
    const back = await loadModel(path);
    expect(back.kind).toBe('flow');
    expect(back.options).toEqual({ ...m.options });
    const x = normal(key(4), [3, 4]);
    if (back.kind !== 'flow') throw new Error('unreachable');
    expect(Array.from(await back.logProb(x).data())).toEqual(Array.from(await m.logProb(x).data()));
  });

  it('records the preset, its resolved options, the features, the key and the version', async () => {
    const { metadata } = decodeSafetensors(await serializeModel(realNVP(key(5), 2, { transforms: 2 })));
    expect(metadata['rheo.model']).toBe('rheo-model/1');
    expect(metadata['rheo.preset']).toBe('realnvp');
    expect(metadata['rheo.features']).toBe('2');
    expect(JSON.parse(metadata['rheo.options']!)).toMatchObject({ transforms: 2, hidden: [64, 64], context: 0, actNorm: true });
    expect(metadata['rheo.version']).toBe(RHEO_VERSION);
    expect(RHEO_VERSION).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  });

  it('loads a training checkpoint written with the model metadata, ignoring optimiser state', async () => {
    const m = realNVP(key(6), 2, { transforms: 2, hidden: [8] });
    const path = join(dir, 'fit.safetensors');
    const bytes = await serializeModel(m);
    const { entries } = decodeSafetensors(bytes);
    const tensors = Object.fromEntries([...entries].map(([n, e]) => [n, tensor(new Float32Array(e.bytes.slice().buffer), e.shape)]));
    await saveCheckpoint(path, { ...tensors, 'adam.step': tensor(Int32Array.from([3]), [], 'int32') }, { ...m.metadata, format: 'rheo-fit/1', step: '3' });
    const back = await loadModel(path);
    expect(back.preset).toBe('realnvp');
  });

  const base = () => serializeModel(realNVP(key(7), 2, { transforms: 2, hidden: [8] }));
  it.each<[string, (meta: Record<string, string>, e: Record<string, HostEntry>) => void, RegExp]>([
    ['an unknown preset', (m) => { m['rheo.preset'] = 'spline-9000'; }, /unknown preset "spline-9000"; expected one of .*realnvp.*; layer packages register their presets when imported/],
    ['a preset of a layer package not imported', (m) => { m['rheo.preset'] = 'spline-9000'; m['rheo.package'] = '@acme/splines'; }, /unknown preset "spline-9000".*of @acme\/splines: import '@acme\/splines' before loading it/],
    ['a newer format', (m) => { m['rheo.model'] = 'rheo-model/2'; }, /format rheo-model\/2 is newer than this @rheo\/models reads \(rheo-model\/1\)/],
    ['no model metadata', (m) => { delete m['rheo.model']; }, /not a rheo model file/],
    ['an option outside the schema', (m) => { m['rheo.options'] = JSON.stringify({ transforms: 2, hidden: [8], typo: 1 }); }, /unknown option "typo"/],
    ['an option of the wrong type', (m) => { m['rheo.options'] = JSON.stringify({ transforms: -2 }); }, /options\.transforms\): received -2; expected an integer ≥ 1/],
    ['options that are not JSON', (m) => { m['rheo.options'] = '{transforms'; }, /are not JSON/],
    ['a bad key', (m) => { m['rheo.key'] = 'seven'; }, /key "seven" is not two 32-bit words/],
    ['a mismatched shape', (m) => { m['rheo.options'] = JSON.stringify({ transforms: 2, hidden: [16] }); }, /do not match preset realnvp .*expected float32 \[/],
    ['a missing tensor', (_m, e) => { delete e[Object.keys(e).find((n) => n.startsWith('params.'))!]; }, /missing entry "params\./],
    ['a foreign tensor', (_m, e) => { e['optimizer.m'] = { dtype: 'float32', shape: [1], data: new Float32Array(1) }; }, /entry "optimizer.m" is not part of a model/],
  ])('rejects %s with one line naming the cause', async (_what, change, message) => {
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.safetensors`);
    writeFileSync(path, edit(await base(), change));
    const err = await loadModel(path).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).not.toContain('\n');
  });

  it('rejects a file that is not safetensors and a path that does not exist', async () => {
    const path = join(dir, 'junk.safetensors');
    writeFileSync(path, 'not a model');
    await expect(loadModel(path)).rejects.toThrow(/junk\.safetensors/);
    await expect(loadModel(join(dir, 'missing.safetensors'))).rejects.toThrow(/cannot read .*missing\.safetensors \(ENOENT\)/);
  });

  it('refuses to save parameters of another shape', async () => {
    const m = realNVP(key(8), 2, { transforms: 2, hidden: [8] });
    const other = realNVP(key(8), 2, { transforms: 2, hidden: [9] });
    await expect(saveModel(join(dir, 'x.safetensors'), m, other.params)).rejects.toThrow(/saveModel\(params\): does not match the realnvp model/);
  });

  it('createModel builds any registered preset by name, and deserializeModel reads its bytes', async () => {
    const m = createModel('saef', key(9), 3, { blockSize: 1, hidden: [8] });
    const back = deserializeModel(await serializeModel(m));
    expect(back.kind).toBe('sampler');
    expect(Array.from(await back.sample(4, { key: key(1) }).data())).toEqual(Array.from(await m.sample(4, { key: key(1) }).data()));
    expect(() => createModel('nope', key(1), 2)).toThrow(/unknown preset "nope"; expected one of glow, maf, realnvp, residual-flow, saef/);
  });
});

describe('model objects', () => {
  it('broadcast a single context row to every sample', async () => {
    const m = realNVP(key(10), 2, { transforms: 2, hidden: [8], context: 3 });
    const c = normal(key(11), [1, 3]);
    const x = normal(key(12), [4, 2]);
    const tiled = tensor(Array.from({ length: 4 }, () => Array.from(c.toArray() as number[][])[0]!));
    expect(Array.from(await m.logProb(x, { context: c }).data())).toEqual(Array.from(await m.logProb(x, { context: tiled }).data()));
    expect(m.sample(5, { key: key(1), context: c }).shape).toEqual([5, 2]);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a context of the wrong width', () => realNVP(key(1), 2, { context: 3 }).logProb(normal(key(2), [4, 2]), { context: normal(key(3), [4, 2]) }), /logProb\(options\.context\): received shape \[4, 2\]; expected \[4, 3\] or \[1, 3\]/],
    ['a missing context', () => realNVP(key(1), 2, { context: 3 }).sample(2, { key: key(1) }), /sample\(options\.context\): received undefined; expected a tensor \[2, 3\] or \[1, 3\]/],
    ['a context for an unconditional model', () => maf(key(1), 2).logProb(normal(key(2), [4, 2]), { context: normal(key(3), [4, 1]) }), /unconditional/],
    ['data of the wrong width', () => maf(key(1), 3).logProb(normal(key(2), [4, 2])), /logProb\(x\): received shape \[4, 2\]; expected \[n, 3\]/],
    ['no key for sampling', () => maf(key(1), 2).sample(3, {} as never), /sample\(options\.key\): received undefined; expected a PRNG Key/],
    ['an unknown option', () => maf(key(1), 2, { layers: 3 } as never), /maf\(options\): unknown option "layers"; expected some of transforms, hidden/],
    ['too few features', () => realNVP(key(1), 1), /realnvp\(features\): received 1; expected an integer ≥ 2/],
    ['a non-square image for glow', () => createModel('glow', key(1), 12), /glow\(options\.image\): features = 12 is not a square/],
  ])('reject %s, naming the argument', (_what, run, message) => {
    expect(run).toThrow(message);
  });
});

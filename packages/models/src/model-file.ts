import { decodeSafetensors, disposeTree, encodeSafetensors, namedToTree, treeToNamed, type HostEntry, type StateTree } from '@rheo/nn';
import { ArgumentError, Key, Tensor, tensor, type TensorTree } from '@rheo/tensor';
import { MODEL_FORMAT, type Model } from './model.js';
import { getPreset, presetNames, buildPreset } from './registry.js';

/** The training loop's checkpoint format: its files hold optimiser state besides the model's tensors. */
const FIT_FORMAT = 'rheo-fit/1';

/**
 * The bytes of a self-describing safetensors file: tensors `params.*` and
 * `buffers.*`, and metadata naming the preset, its resolved options, the
 * feature count, the build key and the format version (`rheo-model/1`).
 */
export async function serializeModel(model: Model, params: TensorTree = model.params, buffers: StateTree = model.buffers): Promise<Uint8Array> {
  const named = modelTensors(model, params, buffers, 'serializeModel');
  const entries: Record<string, HostEntry> = {};
  for (const [name, t] of Object.entries(named)) entries[name] = { dtype: t.dtype, shape: t.shape, data: await t.data() };
  return encodeSafetensors(entries, { ...model.metadata }, 'serializeModel');
}

/** The named tensors of a model file, checked against the model's own shapes so that a file that cannot load back is refused when written. */
export function modelTensors(model: Model, params: TensorTree, buffers: StateTree, who: string): Record<string, Tensor> {
  if (model === null || typeof model !== 'object' || typeof model.metadata?.['rheo.preset'] !== 'string') {
    throw new ArgumentError(`${who}(model): expected a model built by a preset (realNVP, maf, residualFlow, glow, saef, createModel, loadModel)`);
  }
  let named: Record<string, Tensor>;
  try {
    named = treeToNamed({ params, buffers } as StateTree);
    // The tensors must be the model's shapes: a file that cannot load back is refused now, not at load time.
    namedToTree({ params: model.params, buffers: model.buffers } as StateTree, named);
  } catch (err) {
    throw new ArgumentError(`${who}(params): does not match the ${model.preset} model: ${(err as Error).message}`);
  }
  return named;
}

function fail(source: string, message: string): never {
  throw new ArgumentError(`loadModel: ${source}: ${message}`);
}

/**
 * Rebuilds a model from the bytes of `serializeModel`, `saveModel` or a
 * checkpoint of `fit` whose metadata came from `model.fitSpec`. Loading is
 * data only: the preset is looked up by name in the registry, its options
 * are checked against the preset's schema, and every tensor's name, shape
 * and dtype against the rebuilt model. Each failure is one line naming the
 * source and the cause.
 */
export function deserializeModel(bytes: Uint8Array, source = 'buffer'): Model {
  const { entries, metadata } = decodeSafetensors(bytes, source);
  const format = metadata['rheo.model'];
  if (format === undefined) fail(source, `not a rheo model file (no "rheo.model" metadata${metadata['format'] ? `; its format is ${JSON.stringify(metadata['format'])}` : ''}); expected a file written by saveModel, or by fit with the model's fitSpec`);
  const version = /^rheo-model\/(\d+)$/.exec(format);
  if (version === null) fail(source, `format ${JSON.stringify(format)} is not a rheo model format; expected "${MODEL_FORMAT}"`);
  if (Number(version[1]) > 1) fail(source, `format ${format} is newer than this @rheo/models reads (${MODEL_FORMAT}); upgrade @rheo/models`);
  const name = metadata['rheo.preset'] ?? '';
  const preset = getPreset(name);
  if (preset === undefined) {
    const pkg = metadata['rheo.package'];
    const hint = pkg === undefined
      ? 'layer packages register their presets when imported (e.g. import \'@rheo/splines\' for nsf)'
      : `the file was written with preset ${JSON.stringify(name)} of ${pkg}: import '${pkg}' before loading it, which registers the preset`;
    fail(source, `unknown preset ${JSON.stringify(name)}; expected one of ${presetNames().join(', ')}; ${hint}`);
  }
  const features = Number(metadata['rheo.features']);
  if (!Number.isInteger(features) || features < 1) fail(source, `features ${JSON.stringify(metadata['rheo.features'])} is not a positive integer`);
  let options: unknown;
  try {
    options = JSON.parse(metadata['rheo.options'] ?? '');
  } catch {
    fail(source, `options ${JSON.stringify(metadata['rheo.options'])} are not JSON`);
  }
  const words = (metadata['rheo.key'] ?? '').split(',').map(Number);
  if (words.length !== 2 || !words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)) fail(source, `key ${JSON.stringify(metadata['rheo.key'])} is not two 32-bit words "k0,k1"`);
  const isFit = metadata['format'] === FIT_FORMAT;
  const named: Record<string, Tensor> = {};
  for (const [n, e] of entries) {
    const [head] = n.split('.');
    if (head !== 'params' && head !== 'buffers') {
      if (isFit) continue; // optimiser and EMA state of a training checkpoint
      fail(source, `entry "${n}" is not part of a model (expected params.* and buffers.*)`);
    }
    if (e.dtype !== 'F32' && e.dtype !== 'I32') fail(source, `entry "${n}" has dtype ${String(e.dtype)}`);
  }
  let model: Model;
  try {
    model = buildPreset(preset, new Key(words[0]!, words[1]!), features, options);
  } catch (err) {
    fail(source, (err as Error).message);
  }
  for (const [n, e] of entries) {
    if (!(n.startsWith('params.') || n.startsWith('buffers.'))) continue;
    const data = e.dtype === 'I32' ? new Int32Array(e.bytes.buffer, e.bytes.byteOffset, e.bytes.length / 4) : new Float32Array(e.bytes.buffer, e.bytes.byteOffset, e.bytes.length / 4);
    named[n] = tensor(data, e.shape, e.dtype === 'I32' ? 'int32' : 'float32');
  }
  let tree: { params: TensorTree; buffers: StateTree };
  try {
    tree = namedToTree<{ params: TensorTree; buffers: StateTree }>({ params: model.params, buffers: model.buffers }, named);
  } catch (err) {
    disposeTree(Object.values(named));
    fail(source, `its tensors do not match preset ${name} with options ${metadata['rheo.options']}: ${(err as Error).message}`);
  }
  disposeTree({ params: model.params, buffers: model.buffers } as StateTree);
  return model.withParams(tree.params, tree.buffers);
}

// @rheo/models/node: model files on the local file system (Node only).
import { readFile } from 'node:fs/promises';
import { saveCheckpoint } from '@rheo/nn/node';
import { ArgumentError, RheoError, type TensorTree } from '@rheo/tensor';
import type { StateTree } from '@rheo/nn';
// By name, not by path: the file functions use the same preset registry as the main entry, so presets a layer package registers are found.
import { deserializeModel, modelTensors, type Model } from '@rheo/models';

/**
 * Writes `model` with `params` (default: the model's own) as one
 * safetensors file whose metadata describes the preset (see
 * `serializeModel`); atomically, so a failed write leaves any previous file.
 */
export async function saveModel(path: string, model: Model, params: TensorTree = model.params, buffers: StateTree = model.buffers): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(`saveModel(path): expected a file path, received ${JSON.stringify(path)}`);
  await saveCheckpoint(path, modelTensors(model, params, buffers, 'saveModel'), { ...model.metadata });
}

/**
 * Rebuilds the model saved at `path` (by `saveModel`, or by `fit` with the
 * model's `fitSpec`): no code or key from the caller. The returned model's
 * `params` and `buffers` are the file's.
 */
export async function loadModel(path: string): Promise<Model> {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(`loadModel(path): expected a file path, received ${JSON.stringify(path)}`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new RheoError(`loadModel(path): cannot read ${path} (${e.code ?? e.message})`);
  }
  return deserializeModel(bytes, path);
}

// @rheo/models/node as browser bundlers resolve it: the same names without
// node:fs; calling them says why they cannot work there.
import { BackendError } from '@rheo/tensor';
import type { loadModel as nodeLoad, saveModel as nodeSave } from './node.js';

function unavailable(name: string): BackendError {
  return new BackendError(`${name}: model files need a file system, which this JavaScript runtime does not offer (the browser build of @rheo/models/node); expected Node.js, or use serializeModel / deserializeModel from @rheo/models and store the bytes yourself`);
}

export const saveModel: typeof nodeSave = async () => {
  throw unavailable('saveModel');
};

export const loadModel: typeof nodeLoad = async () => {
  throw unavailable('loadModel');
};

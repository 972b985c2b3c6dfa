// @rheo/nn/node as browser bundlers resolve it (the "browser" export
// condition): the same names, without node:fs, so that packages importing it
// lazily (such as @rheo/train's checkpoints) bundle for the web; calling any
// of them says why it cannot work there.
import { BackendError } from '@rheo/tensor';
import type { checkpointExists as nodeExists } from './checkpoint-exists';
import type { Checkpoint, loadCheckpoint as nodeLoad } from './load-checkpoint';
import type { SaveCheckpointOptions, removeOrphanTemps as nodeRemove, saveCheckpoint as nodeSave } from './save-checkpoint';

export type { Checkpoint, SaveCheckpointOptions };

function unavailable(name: string): BackendError {
  return new BackendError(
    `${name}: checkpoint files need a file system, which this JavaScript runtime does not offer (this is the browser build of @rheo/nn/node); ` +
      'expected Node.js, or serialise with serializeSafetensors from @rheo/nn and store the bytes yourself',
  );
}

export const saveCheckpoint: typeof nodeSave = async () => {
  throw unavailable('saveCheckpoint');
};

export const loadCheckpoint: typeof nodeLoad = async () => {
  throw unavailable('loadCheckpoint');
};

export const checkpointExists: typeof nodeExists = async () => {
  throw unavailable('checkpointExists');
};

export const removeOrphanTemps: typeof nodeRemove = async () => {
  throw unavailable('removeOrphanTemps');
};

// @rheo/nn/node: checkpoint files on the local file system (Node only, so
// browser bundles of @rheo/nn never import node:fs).
export { removeOrphanTemps, saveCheckpoint } from './save-checkpoint';
export type { SaveCheckpointOptions } from './save-checkpoint';
export { loadCheckpoint } from './load-checkpoint';
export type { Checkpoint } from './load-checkpoint';
export { checkpointExists } from './checkpoint-exists';

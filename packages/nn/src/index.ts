// @rheo/nn: modules with plain parameter trees, initialisers, MADE masks,
// optimisers, parameter EMA and safetensors checkpoints. File I/O lives in
// the separate `@rheo/nn/node` entry point.
export { parseSafetensors, decodeSafetensors } from './safetensors';
export type { RawEntry, SafetensorsContents } from './safetensors';
export { serializeSafetensors, encodeSafetensors } from './serialize-safetensors';
export type { HostEntry } from './serialize-safetensors';
export { glorotUniform, kaimingUniform, normalInit, zerosInit } from './init';
export type { Initializer } from './init';
export { applyLinear, linear } from './linear';
export type { Linear, LinearOptions, LinearParams } from './linear';
export { applyMaskedLinear, maskedLinear } from './masked-linear';
export type { MaskedLinear } from './masked-linear';
export { blockMadeMasks, madeMasks } from './made-masks';
export type { MadeMaskOptions, MadeMasks, Mask } from './made-masks';
export type { ActivationName } from './activation';
export { mlp } from './mlp';
export type { Mlp, MlpOptions } from './mlp';
export { madeMlp } from './made-mlp';
export type { MadeMlp, MadeMlpOptions } from './made-mlp';
export { adamInit, adamStep } from './adam';
export type { AdamOptions, AdamState } from './adam';
export { emaDecay, emaInit, emaUpdate } from './ema';
export type { EmaOptions, EmaSchedule, EmaState } from './ema';
export { disposeTree, namedToTree, treeToNamed } from './tree-names';
export type { StateTree } from './tree-names';

// @rheo/models: ready-made flows (zuko-style presets), model objects on top
// of the functional core, and self-describing model files. File access is in
// the separate `@rheo/models/node` entry point.
export type { OptionSchema, OptionSpec, OptionValue, ResolvedOptions } from './options.js';
export { resolveOptions } from './options.js';
export {
  MODEL_FORMAT, flowModel, type FitSpec, type FlowModel, type FlowParts, type LogProbOptions, type LossContext, type Model,
  type ModelBatch, type ModelSource, type SampleOptions, type SamplerModel,
} from './model.js';
export { samplerModel, type SamplerParts } from './sampler-model.js';
export { stack as stackLayers } from './presets/common.js';
export { buildPreset, createModel, getPreset, presetNames, registerPreset, type FlowPreset, type Preset, type SamplerPreset } from './registry.js';
export { deserializeModel, modelTensors, serializeModel } from './model-file.js';
export { REAL_NVP, realNVP, type RealNvpOptions } from './presets/real-nvp.js';
export { MAF, maf, type MafPresetOptions } from './presets/maf.js';
export { RESIDUAL_FLOW, residualFlow, type ResidualFlowOptions } from './presets/residual-flow.js';
export { GLOW, glow, type GlowOptions } from './presets/glow.js';
export { SAEF, saef, type SaefOptions } from './presets/saef.js';
export { RHEO_VERSION } from './version.js';

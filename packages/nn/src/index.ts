export { parseSafetensors } from './safetensors';
export type { RawEntry } from './safetensors';
export { serializeSafetensors } from './serialize-safetensors';
export { applyLinear, linear } from './linear';
export type { Linear, LinearParams } from './linear';
export { adamInit, adamStep } from './adam';
export type { AdamOptions, AdamState } from './adam';

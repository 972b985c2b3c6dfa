export { parseSafetensors } from './safetensors';
export type { RawEntry } from './safetensors';
export { serializeSafetensors } from './serialize-safetensors';

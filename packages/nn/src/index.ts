export { parseSafetensors } from './safetensors';
export type { RawEntry } from './safetensors';

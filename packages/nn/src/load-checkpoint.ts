import { readFile } from 'node:fs/promises';
import { RheoError, tensor, type Tensor } from '@rheo/tensor';
import { decodeSafetensors } from './safetensors';

/** What `loadCheckpoint` returns: the file's tensors by name and its string metadata. */
export interface Checkpoint {
  readonly tensors: Record<string, Tensor>;
  readonly metadata: Record<string, string>;
}

/**
 * Reads a safetensors file. The whole file is parsed and validated first
 * (header, dtypes, shapes, offsets: errors name the file and the entry), and
 * only then are tensors created on the active backend.
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new RheoError(`loadCheckpoint(path): cannot read ${path} (${(err as Error).message})`);
  }
  const { entries, metadata } = decodeSafetensors(bytes, path);
  const tensors: Record<string, Tensor> = {};
  for (const [name, e] of entries) {
    // Entries own a fresh, aligned copy of their bytes; safetensors data and supported hosts are little-endian.
    const data = e.dtype === 'I32' ? new Int32Array(e.bytes.buffer, e.bytes.byteOffset, e.bytes.length / 4) : new Float32Array(e.bytes.buffer, e.bytes.byteOffset, e.bytes.length / 4);
    tensors[name] = tensor(data, e.shape, e.dtype === 'I32' ? 'int32' : 'float32');
  }
  return { tensors, metadata };
}

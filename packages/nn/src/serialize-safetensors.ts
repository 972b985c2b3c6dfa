import { ArgumentError, type DType, type Tensor, type TypedArray } from '@rheo/tensor';

/** One tensor's values already read back from its backend. */
export interface HostEntry {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

function checkNames(names: readonly string[], metadata: Record<string, string>, who: string): void {
  for (const n of names) if (n === '__metadata__') throw new ArgumentError(`${who}(tensors): the name "__metadata__" is reserved by the safetensors format`);
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new ArgumentError(`${who}(metadata): value of "${k}" is ${typeof v}, expected a string`);
  }
}

/**
 * The bytes of a safetensors file: an 8-byte little-endian header length, the JSON header (dtype,
 * shape, data offsets of each tensor, and `__metadata__`), then the tensors' little-endian data,
 * contiguous.
 */
// Layout per the safetensors spec: u64 LE header length, JSON header, contiguous little-endian data.
export function encodeSafetensors(entries: Readonly<Record<string, HostEntry>>, metadata: Record<string, string> = {}, who = 'encodeSafetensors'): Uint8Array {
  checkNames(Object.keys(entries), metadata, who);
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, e] of Object.entries(entries)) {
    const bytes = new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength).slice();
    header[name] = { dtype: e.dtype === 'int32' ? 'I32' : 'F32', shape: [...e.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  let p = 8 + h.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** Serialises tensors read synchronously (CPU backend); `saveCheckpoint` reads any backend. */
export function serializeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const entries: Record<string, HostEntry> = {};
  for (const [name, t] of Object.entries(tensors)) entries[name] = { dtype: t.dtype, shape: t.shape, data: t.dataSync() };
  return encodeSafetensors(entries, metadata, 'serializeSafetensors');
}

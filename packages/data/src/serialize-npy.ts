import { ArgumentError, ShapeError } from '@rheo/tensor';

/**
 * Writes a float32 C-order array as `.npy` (NEP 1): format 1.0 while the
 * header fits a u16 length, else 2.0. The header dict is padded with spaces
 * and ends in '\n' so that magic + version + length + header is a multiple of
 * 64 bytes, which NumPy ≥ 1.x accepts and memory-maps aligned.
 */
export function serializeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  if (!(data instanceof Float32Array)) throw new ArgumentError(`serializeNpy(data): expected a Float32Array, received ${data === null ? 'null' : typeof data}`);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ShapeError(`serializeNpy(shape): expected non-negative integers, received [${shape.join(', ')}]`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new ShapeError(`serializeNpy(shape): [${shape.join(', ')}] holds ${size} values, received ${data.length}`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const version = dict.length + 1 + 10 <= 65535 ? 1 : 2;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const out = new Uint8Array(total + 4 * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  for (let i = 0; i < size; i++) view.setFloat32(total + 4 * i, data[i]!, true);
  return out;
}

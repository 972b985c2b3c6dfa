import { describe, expect, it } from 'vitest';
import { RheoError } from '@rheo/tensor';
import { parseSafetensors } from './safetensors';

function file(header: object, data: number[]): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('parseSafetensors', () => {
  it('reads a hand-built F32 entry', () => {
    const f = new Float32Array([1.5, -2]);
    const bytes = file({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, [...new Uint8Array(f.buffer)]);
    const e = parseSafetensors(bytes).get('w');
    expect(Array.from(new Float32Array(e!.bytes.buffer))).toEqual([1.5, -2]);
  });
  it('rejects truncated, bad-dtype and overlapping files', () => {
    expect(() => parseSafetensors(new Uint8Array(4))).toThrow(RheoError);
    expect(() => parseSafetensors(file({ w: { dtype: 'Q8', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]))).toThrow(/dtype/);
    const ov = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } };
    expect(() => parseSafetensors(file(ov, [0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/contiguous/);
  });
});

it('rejects a header length larger than the file', () => {
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setBigUint64(0, 1n << 40n, true);
  expect(() => parseSafetensors(bytes, 'm.safetensors')).toThrow(/m\.safetensors: header length/);
});

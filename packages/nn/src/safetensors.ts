import { ArgumentError } from '@rheo/tensor';
import { DATA_CHECKSUM_KEY, dataChecksum } from './data-checksum';

/** Raw entry of a safetensors file: dtype tag, shape and its bytes. */
export interface RawEntry {
  dtype: 'F32' | 'I32';
  shape: number[];
  bytes: Uint8Array;
}

const SIZE: Record<string, number> = { F32: 4, I32: 4 };

/** Entries of a parsed file and its `__metadata__` string map. */
export interface SafetensorsContents {
  entries: Map<string, RawEntry>;
  metadata: Record<string, string>;
}

/** A string from the file, on one line: control characters escaped as in JSON, so every error stays one line. */
function oneLine(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

function quoted(name: string): string {
  return `'${oneLine(name)}'`;
}

/**
 * The tensors of a safetensors file, by name, with dtype, shape and raw little-endian bytes; the
 * header is validated (offsets in bounds, contiguous, no overlap), errors naming `source`.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'buffer'): Map<string, RawEntry> {
  return decodeSafetensors(bytes, source).entries;
}

/**
 * Parses and validates a whole file before returning anything; errors name
 * `source` and the entry. Where `__metadata__` holds "rheo.data_crc32" (every
 * file rheo writes), the data section's CRC-32 must match it; the key is not
 * returned in `metadata`. (A file whose checksum key is itself damaged loads
 * unchecked, as files of other tools do: the check needs the key intact.) Format: 8-byte little-endian header length N,
 * N bytes of JSON header, then data (huggingface/safetensors spec).
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'buffer'): SafetensorsContents {
  if (bytes.length < 8) throw new ArgumentError(`${source}: file is ${bytes.length} bytes, expected at least 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > 100_000_000 || 8 + n > bytes.length) {
    throw new ArgumentError(`${source}: header length ${n} exceeds file size ${bytes.length} or 100 MB limit`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new ArgumentError(`${source}: header is not valid JSON`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ArgumentError(`${source}: header must be a JSON object`);
  }
  const data = bytes.subarray(8 + n);
  const out = new Map<string, RawEntry>();
  const spans: [number, number, string][] = [];
  const metadata: Record<string, string> = {};
  for (const [name, e] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof e !== 'object' || e === null || Array.isArray(e) || !Object.values(e).every((v) => typeof v === 'string')) {
        throw new ArgumentError(`${source}: __metadata__ must be an object of strings`);
      }
      Object.assign(metadata, e);
      continue;
    }
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      throw new ArgumentError(`${source}: entry ${quoted(name)} must be an object with dtype, shape and data_offsets`);
    }
    const { dtype, shape, data_offsets: off } = e as { dtype: unknown; shape: unknown; data_offsets: unknown };
    if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(SIZE, dtype)) {
      throw new ArgumentError(`${source}: entry ${quoted(name)} has dtype ${typeof dtype === 'string' ? oneLine(dtype) : JSON.stringify(dtype) ?? String(dtype)}, expected F32 or I32`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ArgumentError(`${source}: entry ${quoted(name)} shape must be non-negative integers`);
    }
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1] || off[1] > data.length) {
      throw new ArgumentError(`${source}: entry ${quoted(name)} data_offsets out of bounds (data is ${data.length} bytes)`);
    }
    const size = (shape as number[]).reduce((a, b) => a * b, 1) * (SIZE[dtype] as number);
    if (off[1] - off[0] !== size) {
      throw new ArgumentError(`${source}: entry ${quoted(name)} spans ${off[1] - off[0]} bytes, expected ${size}`);
    }
    spans.push([off[0], off[1], name]);
    // A copy (not slice: on a Node Buffer slice is a view), so entries own aligned bytes.
    out.set(name, { dtype: dtype as 'F32' | 'I32', shape: shape as number[], bytes: new Uint8Array(data.subarray(off[0], off[1])) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  let end = 0;
  for (const [b, e, name] of spans) {
    if (b !== end) throw new ArgumentError(`${source}: entry ${quoted(name)} starts at ${b}, expected contiguous ${end}`);
    end = e;
  }
  if (end !== data.length) throw new ArgumentError(`${source}: data is ${data.length} bytes, entries cover ${end}`);
  // Files written by rheo carry the CRC-32 of their data; files from other tools may not, and are taken as they are.
  const stored = metadata[DATA_CHECKSUM_KEY];
  if (stored !== undefined) {
    const actual = dataChecksum([data]);
    if (stored !== actual) {
      throw new ArgumentError(`${source}: tensor bytes have CRC-32 ${actual}, expected ${JSON.stringify(stored)} as stored in __metadata__ (the file is corrupt)`);
    }
    delete metadata[DATA_CHECKSUM_KEY];
  }
  return { entries: out, metadata };
}

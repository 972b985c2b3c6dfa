import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ArgumentError } from '@rheo/tensor';

/**
 * The bytes of a data file, gunzipped when they start with the gzip magic
 * 1f 8b (so `x.gz` and a decompressed copy both load). A missing file is an
 * ArgumentError naming the expected path and, where given, what it should hold.
 */
export function readDataFile(path: string, what = 'a data file'): Uint8Array {
  if (!existsSync(path)) throw new ArgumentError(`readDataFile(${JSON.stringify(path)}): expected ${what} there, but no such file exists`);
  const raw = new Uint8Array(readFileSync(path));
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return new Uint8Array(gunzipSync(raw));
  } catch (e) {
    throw new ArgumentError(`readDataFile(${JSON.stringify(path)}): expected valid gzip data after the 1f 8b magic, received a stream zlib rejects (${(e as Error).message})`);
  }
}

import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ArgumentError } from '@rheo/tensor';

/**
 * The bytes of a data file, gunzipped when they start with the gzip magic
 * 1f 8b (so `x.gz` and a decompressed copy both load). A missing file, a
 * folder or an unreadable file is an ArgumentError naming the path and, where
 * given, what it should hold (never a bare EISDIR/EACCES with no path).
 */
export function readDataFile(path: string, what = 'a data file'): Uint8Array {
  const where = `readDataFile(${JSON.stringify(path)})`;
  let raw: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new ArgumentError(`${where}: expected ${what}, received a directory`);
    raw = new Uint8Array(readFileSync(path));
  } catch (e) {
    if (e instanceof ArgumentError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new ArgumentError(`${where}: expected ${what} there, but no such file exists`);
    throw new ArgumentError(`${where}: expected ${what}, but it cannot be read (${err.code ?? err.message})`);
  }
  return gunzipData(raw, where);
}

/**
 * `raw` gunzipped when it starts with the gzip magic 1f 8b (RFC 1952), else
 * itself. The output is bounded by the size the gzip trailer declares (ISIZE,
 * the length mod 2^32), so a corrupt or hostile stream cannot allocate more
 * than its own header promises; a mismatch is an ArgumentError naming `where`.
 */
export function gunzipData(raw: Uint8Array, where: string): Uint8Array {
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  if (raw.length < 18) throw new ArgumentError(`${where}: expected valid gzip data after the 1f 8b magic, received ${raw.length} bytes (a gzip stream has at least 18)`);
  const declared = new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getUint32(raw.length - 4, true);
  let out: Uint8Array;
  try {
    out = new Uint8Array(gunzipSync(raw, { maxOutputLength: Math.max(1, declared) }));
  } catch (e) {
    throw new ArgumentError(`${where}: expected valid gzip data after the 1f 8b magic, received a stream zlib rejects (${(e as Error).message})`);
  }
  if (out.length !== declared) {
    throw new ArgumentError(`${where}: expected valid gzip data after the 1f 8b magic, but its trailer declares ${declared} bytes and the stream holds ${out.length}`);
  }
  return out;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArgumentError } from '@rheo/tensor';

/**
 * The data root: `dir` if given, else the environment variable
 * RHEO_DATA_DIR, else `../shared/data` relative to the working directory
 * (where a checkout of this repository finds the shared data). Throws naming
 * the place it looked when that does not exist.
 */
export function dataDir(dir?: string): string {
  const chosen = dir ?? (process.env.RHEO_DATA_DIR !== undefined && process.env.RHEO_DATA_DIR !== '' ? process.env.RHEO_DATA_DIR : '../shared/data');
  if (!existsSync(chosen)) {
    throw new ArgumentError(`dataDir(dir): expected an existing data directory, received ${JSON.stringify(chosen)}${dir === undefined ? ' (pass one or set RHEO_DATA_DIR)' : ''}`);
  }
  return resolve(chosen);
}

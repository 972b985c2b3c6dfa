import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where tests find the repository's shared real data: RHEO_DATA_DIR, else
 * `../shared/data` from the repository root (five levels above this folder).
 * Returns undefined when absent, so tests skip visibly; with CI set, absence
 * is an error instead.
 */
export function sharedDataDir(): string | undefined {
  const env = process.env.RHEO_DATA_DIR;
  const dir = env !== undefined && env !== '' ? resolve(env) : resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'data');
  if (existsSync(dir)) return dir;
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`shared data not found at ${dir} while CI is set`);
  console.warn(`[@rheo/data] shared data not found at ${dir}: real-data tests are skipped (set RHEO_DATA_DIR)`);
  return undefined;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@rheo/tensor';

/** The first of `names` present in `dir`, else an ArgumentError listing the expected files. */
export function findFile(dir: string, names: readonly string[], loader: string): string {
  for (const n of names) {
    const p = join(dir, n);
    if (existsSync(p)) return p;
  }
  throw new ArgumentError(`${loader}(dir): expected one of ${names.map((n) => JSON.stringify(n)).join(', ')} in ${JSON.stringify(dir)}, found none`);
}

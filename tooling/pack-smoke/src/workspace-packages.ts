import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, two levels above this package. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface PublishablePackage {
  /** npm name, e.g. `@rheo/tensor`. */
  readonly name: string;
  readonly version: string;
  /** Absolute directory of the package in this checkout. */
  readonly dir: string;
  /** Whether `dist/` exists; packages not yet built are skipped by the smoke test. */
  readonly built: boolean;
}

interface Manifest {
  name?: unknown;
  version?: unknown;
  private?: unknown;
}

/** The workspace folders whose packages are published: the libraries and the layer packages. */
export const PUBLISHED_FOLDERS = ['packages', 'layers'] as const;

/**
 * Every non-private package under `packages/` and `layers/`, read from its
 * package.json so that a new package is covered without editing this list.
 */
export function publishablePackages(root: string = repoRoot): PublishablePackage[] {
  const found: PublishablePackage[] = [];
  const entries = PUBLISHED_FOLDERS.flatMap((f) => (existsSync(join(root, f)) ? readdirSync(join(root, f), { withFileTypes: true }).map((e) => ({ e, base: join(root, f) })) : []));
  for (const { e: entry, base } of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(base, entry.name);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (manifest.private === true) continue;
    if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
      throw new Error(`publishablePackages(root): ${file} has no string "name" and "version" (received ${JSON.stringify(manifest.name)}, ${JSON.stringify(manifest.version)})`);
    }
    found.push({ name: manifest.name, version: manifest.version, dir, built: existsSync(join(dir, 'dist')) });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

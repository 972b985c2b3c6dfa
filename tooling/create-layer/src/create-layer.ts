import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RheoError } from '@rheo/tensor';
import { layerFiles, type LayerSpec } from './templates.js';

/** A bad argument to `createLayer`; the message names it, what was received and what was expected. */
export class CreateLayerError extends RheoError {}

/** Options of `createLayer`. */
export interface CreateLayerOptions {
  /** The workspace root: the folder holding pnpm-workspace.yaml, packages/ and layers/. */
  readonly root: string;
  /** kebab-case name: the folder layers/NAME and, by default, the package @rheo/NAME. */
  readonly name: string;
  /** npm scope of the package; default 'rheo'. */
  readonly scope?: string;
}

/** '>=X.Y.0 <N.0.0': the peer range a layer accepts of a package at `version` (below 1.0, every 0.x from X.Y on). */
export function peerRange(version: string): string {
  const m = /^(\d+)\.(\d+)\.\d+/.exec(version);
  if (m === null) throw new CreateLayerError(`peerRange(version): received ${JSON.stringify(version)}; expected a semver version`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return `>=${major}.${minor}.0 <${Math.max(1, major + 1)}.0.0`;
}

function versionOf(root: string, folder: string): string {
  const path = join(root, 'packages', folder, 'package.json');
  if (!existsSync(path)) throw new CreateLayerError(`createLayer(root): ${root} has no packages/${folder}/package.json; expected the workspace root`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/**
 * Writes a new layer package into `root`/layers/NAME (package.json with
 * peer dependencies on @rheo/tensor and @rheo/flows at their current minor
 * versions, tsup/vitest/tsconfig, README, a transformer and its test
 * through @rheo/flows/testing) and its changeset into `root`/.changeset.
 * Refuses to overwrite. Returns the paths written, relative to `root`.
 */
export function createLayer(options: CreateLayerOptions): string[] {
  const { root, name, scope = 'rheo' } = options;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new CreateLayerError(`createLayer(name): received ${JSON.stringify(name)}; expected a kebab-case name such as "sinh-arcsinh" (lower-case letters and digits, single hyphens)`);
  }
  if (!/^[a-z0-9][a-z0-9-._]*$/.test(scope)) throw new CreateLayerError(`createLayer(scope): received ${JSON.stringify(scope)}; expected an npm scope without '@'`);
  if (existsSync(join(root, 'layers', name))) throw new CreateLayerError(`createLayer(name): layers/${name} already exists; expected a new name`);
  const spec: LayerSpec = {
    name,
    packageName: `@${scope}/${name}`,
    camel: name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
    tensorRange: peerRange(versionOf(root, 'tensor')),
    flowsRange: peerRange(versionOf(root, 'flows')),
  };
  const files = layerFiles(spec);
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    if (existsSync(path)) throw new CreateLayerError(`createLayer(name): ${rel} already exists; expected a new name`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return Object.keys(files);
}

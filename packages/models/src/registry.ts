import { ArgumentError, type Key } from '@rheo/tensor';
import { checkKey } from './check-key.js';
import { flowModel, type FlowModel, type FlowParts, type Model, type SamplerModel } from './model.js';
import { samplerModel, type SamplerParts } from './sampler-model.js';
import { resolveOptions, type OptionSchema, type ResolvedOptions } from './options.js';

interface PresetBase {
  /** The name stored in model files; unique. */
  readonly name: string;
  /** One line for listings and error messages. */
  readonly description: string;
  readonly schema: OptionSchema;
  /** Smallest feature count the architecture supports. */
  readonly minFeatures: number;
  /**
   * The package that registers this preset when imported, for presets of
   * layer packages (e.g. '@rheo/splines' for 'nsf'). Model files record it,
   * so `loadModel` can say what to import when the preset is not registered.
   */
  readonly package?: string;
}

/** A preset building a flow (exact density). */
export interface FlowPreset extends PresetBase {
  readonly kind: 'flow';
  build(key: Key, features: number, options: ResolvedOptions): FlowParts;
}

/** A preset building a sampler (no density). */
export interface SamplerPreset extends PresetBase {
  readonly kind: 'sampler';
  build(key: Key, features: number, options: ResolvedOptions): SamplerParts;
}

/**
 * A registered model recipe: a flow preset (density and sampling) or a sampler preset (sampling
 * only, trained by the energy score).
 */
export type Preset = FlowPreset | SamplerPreset;

const PRESETS = new Map<string, Preset>();

/**
 * Adds a preset, so that `createModel` and `loadModel` know its name. Layer
 * packages register theirs the same way (on import). A name can be
 * registered once; registering the same object again is a no-op.
 */
export function registerPreset(preset: Preset): void {
  if (typeof preset?.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(preset.name)) {
    throw new ArgumentError(`registerPreset(preset.name): received ${JSON.stringify(preset?.name)}; expected a lower-case name of letters, digits and '-'`);
  }
  const known = PRESETS.get(preset.name);
  if (known !== undefined && known !== preset) throw new ArgumentError(`registerPreset(preset.name): "${preset.name}" is already registered`);
  PRESETS.set(preset.name, preset);
}

/** The registered preset called `name`, or undefined. */
export function getPreset(name: string): Preset | undefined {
  return PRESETS.get(name);
}

/** Names of every registered preset. */
export function presetNames(): string[] {
  return [...PRESETS.keys()].sort();
}

/**
 * Builds the model of a registered preset: options checked against its
 * schema and completed with defaults, parameters initialised from `key`.
 */
export function createModel(name: string, key: Key, features: number, options?: unknown): Model {
  const preset = PRESETS.get(name);
  if (preset === undefined) {
    throw new ArgumentError(`createModel(name): unknown preset ${JSON.stringify(name)}; expected one of ${presetNames().join(', ')} (layer packages register their presets when imported, e.g. import '@rheo/splines' for nsf)`);
  }
  return buildPreset(preset, key, features, options);
}

/**
 * Builds a model from a preset object (rather than its registered name): options checked against
 * the preset's schema and completed with defaults, parameters initialised from `key`.
 */
export function buildPreset(preset: FlowPreset, key: Key, features: number, options?: unknown): FlowModel;
export function buildPreset(preset: SamplerPreset, key: Key, features: number, options?: unknown): SamplerModel;
export function buildPreset(preset: Preset, key: Key, features: number, options?: unknown): Model;
export function buildPreset(preset: Preset, key: Key, features: number, options?: unknown): Model {
  checkKey(key, `${preset.name}(key)`);
  if (!Number.isInteger(features) || features < preset.minFeatures) {
    throw new ArgumentError(`${preset.name}(features): received ${String(features)}; expected an integer ≥ ${preset.minFeatures}`);
  }
  const resolved = resolveOptions(preset.name, preset.schema, options);
  const source = { preset: preset.name, features, options: resolved, key, ...(preset.package === undefined ? {} : { package: preset.package }) };
  return preset.kind === 'flow'
    ? flowModel(source, preset.build(key, features, resolved))
    : samplerModel(source, preset.build(key, features, resolved));
}

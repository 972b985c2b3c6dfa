import { ArgumentError } from '@rheo/tensor';

/** A preset option's value: what JSON can carry, so options travel in a checkpoint's metadata. */
export type OptionValue = number | boolean | string | readonly number[];

/** One option of a preset: its type, its bounds and its default. */
export type OptionSpec =
  | { readonly type: 'integer'; readonly min: number; readonly max?: number; readonly default: number; readonly doc: string }
  | { readonly type: 'number'; readonly min: number; readonly max?: number; readonly exclusive?: boolean; readonly default: number; readonly doc: string }
  | { readonly type: 'integers'; readonly min: number; readonly minLength: number; readonly maxLength?: number; readonly default: readonly number[] | null; readonly doc: string }
  | { readonly type: 'boolean'; readonly default: boolean; readonly doc: string }
  | { readonly type: 'choice'; readonly values: readonly string[]; readonly default: string; readonly doc: string };

/** A preset's options: name → spec. Unknown names are rejected, so a typo never falls back to a default. */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

/** Every option resolved: the caller's values, defaults for the rest (`integers` defaults of null stay absent). */
export type ResolvedOptions = Readonly<Record<string, OptionValue>>;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

function checkOne(who: string, name: string, spec: OptionSpec, v: unknown): OptionValue {
  const fail = (expected: string): never => {
    throw new ArgumentError(`${who}(options.${name}): received ${show(v)}; expected ${expected}`);
  };
  switch (spec.type) {
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || (spec.max !== undefined && v > spec.max)) {
        fail(`an integer ≥ ${spec.min}${spec.max !== undefined ? ` and ≤ ${spec.max}` : ''}`);
      }
      return v as number;
    case 'number': {
      const low = spec.exclusive === true ? (v as number) <= spec.min : (v as number) < spec.min;
      if (typeof v !== 'number' || !Number.isFinite(v) || low || (spec.max !== undefined && (spec.exclusive === true ? v >= spec.max : v > spec.max))) {
        const lo = spec.exclusive === true ? `> ${spec.min}` : `≥ ${spec.min}`;
        const hi = spec.max === undefined ? '' : spec.exclusive === true ? ` and < ${spec.max}` : ` and ≤ ${spec.max}`;
        fail(`a finite number ${lo}${hi}`);
      }
      return v as number;
    }
    case 'integers':
      if (!Array.isArray(v) || v.length < spec.minLength || (spec.maxLength !== undefined && v.length > spec.maxLength)
        || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < spec.min)) {
        fail(`an array of ${spec.minLength}${spec.maxLength !== undefined ? `–${spec.maxLength}` : ' or more'} integers ≥ ${spec.min}`);
      }
      return [...(v as number[])];
    case 'boolean':
      if (typeof v !== 'boolean') fail('true or false');
      return v as boolean;
    case 'choice':
      if (typeof v !== 'string' || !spec.values.includes(v)) fail(`one of ${spec.values.map((s) => JSON.stringify(s)).join(', ')}`);
      return v as string;
  }
}

/**
 * Checks `options` against `schema` and fills in defaults. Every error names
 * the option, the value received and what is allowed; unknown option names
 * are errors that list the known ones.
 */
export function resolveOptions(who: string, schema: OptionSchema, options: unknown): ResolvedOptions {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(`${who}(options): received ${show(options)}; expected an object of options (${Object.keys(schema).join(', ')})`);
  }
  const given = options as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(schema, name)) {
      throw new ArgumentError(`${who}(options): unknown option ${JSON.stringify(name)}; expected some of ${Object.keys(schema).join(', ')}`);
    }
  }
  const out: Record<string, OptionValue> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const v = given[name];
    if (v === undefined) {
      if (spec.default !== null) out[name] = spec.default;
    } else {
      out[name] = checkOne(who, name, spec, v);
    }
  }
  return out;
}

import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, key, RheoError } from '@rheo/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { deserializeModel, serializeModel } from './model-file.js';
import { loadModel } from './node.js';
import { realNVP } from './presets/real-nvp.js';
import { createModel } from './registry.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-models-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = await serializeModel(realNVP(key(1), 2, { transforms: 2 }));
const flipped = Uint8Array.from(good);
flipped[flipped.length - 5]! ^= 0x10;

// Bad input at the package's entry points → one clear error naming the argument and the cause.
const ROWS: readonly BadInputRow[] = [
  { label: 'a model file with a flipped bit', call: async () => deserializeModel(flipped, 'm.safetensors'), error: ArgumentError, patterns: [/m\.safetensors/, /CRC-32/] },
  { label: 'loadModel of a directory', call: () => loadModel(dir), error: RheoError, patterns: [/loadModel\(path\)/, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), /EISDIR/] },
  { label: 'loadModel of a missing file', call: () => loadModel(join(dir, 'none.safetensors')), error: RheoError, patterns: [/none\.safetensors/, /ENOENT/] },
  { label: 'createModel of an unknown preset', call: async () => createModel('nope', key(0), 2), error: ArgumentError, patterns: [/createModel\(name\)/, /"nope"/] },
];

describeBadInput('bad input to @rheo/models', ROWS);

describe('bad input to @rheo/models: inputs that are fine', () => {
  test('the unflipped file loads', () => {
    expect(deserializeModel(good).preset).toBe('realnvp');
  });
});

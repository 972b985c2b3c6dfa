import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, key, mul, NonFiniteError, RheoError, scalar, square, sub, sum, tensor, type Tensor } from '@rheo/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { fit } from './fit.js';
import type { FitOptions } from './fit-options.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-train-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type P = { w: Tensor };
const base = (over: Partial<FitOptions<P, null, number>>): FitOptions<P, null, number> => ({
  params: { w: tensor([0, 0]) },
  loss: (p) => sum(mul(p.w, p.w)),
  batch: (s) => s,
  steps: 2,
  key: key(0),
  ...over,
});

interface Row {
  readonly label: string;
  readonly options: FitOptions<P, null, number>;
  readonly error: typeof RheoError;
  readonly patterns: readonly RegExp[];
}

const ROWS: readonly Row[] = [
  { label: 'clipNorm 0', options: base({ optimizer: { clipNorm: 0 } }), error: ArgumentError, patterns: [/fit\(optimizer\.clipNorm\)/, /received 0/] },
  { label: 'checkpoint every 0', options: base({ checkpoint: { path: join(dir, 'a.safetensors'), every: 0 } }), error: ArgumentError, patterns: [/fit\(checkpoint\.every\)/, /received 0/] },
  {
    label: 'a gradient with a NaN entry, with clipping on',
    options: base({ loss: (p) => sum(mul(p.w, tensor([1, Number.NaN]))), optimizer: { clipNorm: 1 } }),
    error: NonFiniteError,
    patterns: [/step 1/, /is not finite/, /first non-finite value from op mul/],
  },
];

describe('bad input to @rheo/train', () => {
  test.each(ROWS)('$label', async ({ options, error, patterns }) => {
    let thrown: unknown;
    try {
      await fit(options);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(error);
    const message = (thrown as Error).message;
    expect(message).not.toContain('\n');
    for (const p of patterns) expect(message).toMatch(p);
  });

  test('a finite gradient whose squared norm overflows float32 is clipped, not called non-finite', async () => {
    // loss = 1e20·(w0 + w1): ∂/∂w = (1e20, 1e20), finite in float32, but Σ g² = 2e40 is not; ‖g‖ = √2·1e20.
    const norms: number[] = [];
    const r = await fit(base({
      loss: (p) => sum(mul(p.w, 1e20)),
      optimizer: { clipNorm: 1, lr: 0.1 },
      onStep: ({ gradNorm }) => { norms.push(gradNorm); },
    }));
    for (const n of norms) expect(n / (Math.SQRT2 * 1e20)).toBeCloseTo(1, 5);
    // Adam's first step moves each weight by −lr·sign(g) (bias-corrected m/√v = ±1); the second by nearly as much.
    const w = await r.params.w.data();
    for (const v of w) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeLessThan(-0.19);
      expect(v).toBeGreaterThan(-0.21);
    }
  });

  test('a resumed fit removes the temporary files that killed saves of its checkpoint and of its best copy left', async () => {
    const path = join(dir, 'run.safetensors');
    const run = (steps: number) => fit<{ t: Tensor }, null, null>({
      params: { t: scalar(0) }, loss: (p) => square(sub(p.t, 1)), batch: () => null, steps, key: key(2),
      validation: { data: null, every: 2, patience: 100 }, checkpoint: { path, every: 2 },
    });
    await run(4);
    writeFileSync(join(dir, '.run.safetensors.0123456789ab.tmp'), 'killed save');
    writeFileSync(join(dir, '.run.best.safetensors.ba9876543210.tmp'), 'killed save');
    const r = await run(4);
    expect(r.resumedFrom).toBe(4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

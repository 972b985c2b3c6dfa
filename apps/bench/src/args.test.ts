import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUITES, parseArgs, SUITES } from './args.js';

describe('parseArgs', () => {
  it('defaults: the default suites on the CPU, seed 0, data beside the repository', () => {
    const o = parseArgs([], {}, '/w');
    expect(o.suites).toEqual(DEFAULT_SUITES);
    expect(o.backend).toBe('cpu');
    expect(o.seed).toBe(0);
    expect(o.size).toBe('default');
    expect(o.steps).toBeUndefined();
    expect(o.dataDir).toBe(resolve(import.meta.dirname, '../../../../shared/data'));
  });
  it('reads both --name value and --name=value, RHEO_DATA_DIR and relative paths', () => {
    const o = parseArgs(['--suite=all', '--seed', '5', '--steps=12', '--quick', '--out', 'o', '--dataset', 'moons'], { RHEO_DATA_DIR: 'd' }, '/w');
    expect(o.suites).toEqual(SUITES);
    expect([o.seed, o.steps, o.size, o.dataset]).toEqual([5, 12, 'quick', 'moons']);
    expect(o.out).toBe('/w/o');
    expect(o.dataDir).toBe('/w/d');
    expect(parseArgs(['--data-dir', '/x'], { RHEO_DATA_DIR: 'd' }, '/w').dataDir).toBe('/x');
    expect(parseArgs(['--suite', 'peer,toy'], {}, '/w').suites).toEqual(['peer', 'toy']);
    expect(parseArgs(['--', '--quick'], {}, '/w').size).toBe('quick');
    expect(parseArgs(['--model', 'realnvp/mle,residual'], {}, '/w').models).toEqual(['realnvp/mle', 'residual']);
    expect(parseArgs([], {}, '/w').models).toBeUndefined();
  });
  it('rejects bad values naming the option', () => {
    expect(() => parseArgs(['--seed', '-1'])).toThrow(/--seed: received "-1"/);
    expect(() => parseArgs(['--backend', 'tpu'])).toThrow(/--backend: received "tpu"/);
    expect(() => parseArgs(['--quick', '--full'])).toThrow(/--quick and --full/);
    expect(() => parseArgs(['--out'])).toThrow(/--out: received nothing/);
    expect(() => parseArgs(['--model', 'realnvp/sgd'])).toThrow(/--model: received "realnvp\/sgd"/);
  });
});

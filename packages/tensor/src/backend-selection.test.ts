import { afterAll, describe, expect, test, vi } from 'vitest';
import { BackendError, NonFiniteError, backendInfo, div, log, registerBackend, setBackend, setCheckFinite, tensor } from './index.js';

describe('backend selection', () => {
  afterAll(async () => {
    await setBackend('cpu');
  });

  test('the CPU backend is active by default and says so', () => {
    expect(backendInfo().name).toBe('cpu');
    expect(backendInfo().description).toMatch(/CPU/);
  });

  test('an unknown backend name is a clear error', async () => {
    await expect(setBackend('tpu')).rejects.toThrow(BackendError);
    await expect(setBackend('tpu')).rejects.toThrow(/unknown backend "tpu"; registered: \[.*"cpu"/);
  });

  test('auto falls back with a one-line notice naming the reason', async () => {
    registerBackend('broken', () => {
      throw new Error('no adapter found');
    }, 100);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const b = await setBackend('auto');
    expect(b.name).toBe('cpu');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/"broken" unavailable \(.*no adapter found\)/);
    warn.mockRestore();
  });
});

describe('non-finite detection', () => {
  test('setCheckFinite names the op that produced a NaN or infinity', () => {
    setCheckFinite(true);
    try {
      expect(() => log(tensor([1, -1]))).toThrow(NonFiniteError);
      expect(() => log(tensor([1, -1]))).toThrow(/^log: produced NaN at flat index 1/);
      expect(() => div(tensor([1]), tensor([0]))).toThrow(/^div: produced Infinity/);
    } finally {
      setCheckFinite(false);
    }
    expect(Number.isNaN(log(tensor([-1])).item())).toBe(true);
  });
});

// Shared vitest preset. WebGPU tests run in the forks pool so that Mesa sees the
// process environment (EGL_PLATFORM) of the worker.
process.env.EGL_PLATFORM ??= 'surfaceless';

/** @param {Record<string, unknown>} [overrides] */
export function rheoVitest(overrides = {}) {
  return {
    test: {
      pool: 'forks',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  };
}

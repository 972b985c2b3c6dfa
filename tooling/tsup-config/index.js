// Every publishable package builds the same way: ESM and CommonJS with their
// declarations (.d.ts / .d.cts), source maps, for ES2022 runtimes (Node 20,
// current browsers). Packages differ only in their entry points.
export function rheoTsup(entry = ['src/index.ts'], extra = {}) {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...extra,
  };
}

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/webgpu/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Both entry points must share one engine (backend registry, Tensor class,
  // error classes): shared code goes to common chunks, in CommonJS too.
  splitting: true,
});

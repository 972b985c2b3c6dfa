import { defineConfig } from 'tsup';
import { rheoTsup } from '@rheo/tsup-config';

// Both entry points must share one engine (backend registry, Tensor class,
// error classes): shared code goes to common chunks, in CommonJS too.
export default defineConfig(rheoTsup(['src/index.ts', 'src/webgpu/index.ts'], { splitting: true }));

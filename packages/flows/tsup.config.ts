import { defineConfig } from 'tsup';
import { rheoTsup } from '@rheo/tsup-config';

// The testing kit is a second entry point; both share the layers' code through common chunks, in CommonJS too.
export default defineConfig(rheoTsup(['src/index.ts', 'src/testing/index.ts'], { splitting: true }));

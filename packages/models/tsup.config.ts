import { defineConfig } from 'tsup';
import { rheoTsup } from '@rheo/tsup-config';

// The node entry imports the package by name, so both entries share one preset registry (in CommonJS too).
export default defineConfig(rheoTsup(['src/index.ts', 'src/node.ts', 'src/node-browser.ts'], { external: ['@rheo/models'] }));

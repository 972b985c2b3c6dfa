import { defineConfig } from 'tsup';
import { rheoTsup } from '@rheo/tsup-config';

export default defineConfig(rheoTsup(['src/index.ts', 'src/node.ts']));

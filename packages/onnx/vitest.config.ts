import { defineConfig } from 'vitest/config';
import { rheoVitest } from '@rheo/vitest-config';

export default defineConfig(rheoVitest());

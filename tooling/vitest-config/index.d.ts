import type { UserConfig } from 'vitest/config';
export function rheoVitest(overrides?: Record<string, unknown>): UserConfig;

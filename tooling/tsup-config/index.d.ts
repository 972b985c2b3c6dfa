import type { Options } from 'tsup';

/** tsup options shared by every rheo package; `extra` overrides or adds fields. */
export declare function rheoTsup(entry?: string[], extra?: Options): Options;

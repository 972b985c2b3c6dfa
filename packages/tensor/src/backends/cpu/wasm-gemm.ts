/**
 * Register tile of the gemm micro-kernel (wasm-gemm-strided.ts): MR rows of C
 * by NR columns, two f32x4 accumulators per row. Row panels of A are MR rows,
 * column panels of B NR columns.
 */
export const MR = 4;
export const NR = 8;

/** Page limit of the kernels' own memories, the threads' shared one included (1 GiB). */
export const SHARED_MAX_PAGES = 16384;

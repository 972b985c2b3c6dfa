import { I32, op, V128, type FunctionSpec } from './wasm-emitter.js';
import { MR } from './wasm-gemm.js';

/**
 * The gemm micro-kernel on operands addressed through strides, so it runs on
 * tensors where they lie in the CPU pool's memory as well as on packed
 * panels: A(i, p) of row panel ib at ap + ib·ais + r·ars + p·aps
 * (i = ib·mr + r) and B(p, c) of column panel jb at bp + jb·bjs + p·bps + c·4.
 * Row-major A has (aps, ars, ais) = (4, 4k, 4·mr·k); a transposed A (stored
 * k × m) has (4m, 4, 4·mr); a packed panel (4·mr, 4, 4·mr·k). Row-major B has
 * (bps, bjs) = (4n, 32); a packed panel (32, 32k).
 *
 * Register blocking (after the BLIS scheme, Van Zee & van de Geijn, 2015,
 * "BLIS: A Framework for Rapidly Instantiating BLAS Functionality"): an
 * mr × 8 tile of C lives in 2·mr f32x4 accumulators while k rank-1 updates
 * stream through it, acc[r][c] += A[r,p] · B[p,c]: B is loaded as two
 * vectors, each A value broadcast by one `v128.load32_splat` (a broadcasting
 * load on x86-64, so it takes no shuffle slot from the multiplies and adds;
 * XNNPACK's wasmsimd "loadsplat" GEMM kernels for x86 do the same). Tiles of
 * 4 × 8 measured fastest under V8 on x86-64 (GFLOP/s at one thread, median of
 * 7, AMD EPYC, Node 20; 256×64·64×64 / 1024×256·256×256 / 64³): 4 × 8 with
 * f32.load + f32x4.splat 35 / 34 / 35 (the previous kernel), 4 × 8 43 / 39 /
 * 40, 5 × 8 38 / 35 / 38, 6 × 8 29 / 28 / 26. V8 lowers acc + a·b to a
 * multiply into a temporary and an add, so 6 × 8 needs 12 accumulators, 2 B
 * vectors, the splat and the temporary: more than the 15 XMM registers it
 * allocates, and it spills. Tiles of mr < 4 rows serve the last rows of C.
 *
 * Each C entry is the float32 sum over p = 0..k-1, in that order, of the
 * float32 products (no fused multiply-add), so every tile shape, stride and
 * thread split gives the same bits.
 *
 * gemm_strided_<mr>(ap, bp, cp, mb, nb, k, ldc, aps, ars, ais, bps, bjs);
 * k >= 1, all in bytes; C tiles (mr × 8, row stride ldc) are overwritten.
 */
function stridedBody(mr: number, unitRows: boolean): number[] {
  const [ap, bp, cp, mb, nb, k, ldc, aps, ars, ais, bps, bjs] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const first = 12;
  const [i, j, p, pa, pb, cptr] = [first, first + 1, first + 2, first + 3, first + 4, first + 5];
  // Byte offset of row r within a panel: r·ars, r = 1..mr-1.
  const rowOff = (r: number) => first + 6 + (r - 1);
  const v0 = first + 6 + Math.max(0, mr - 1);
  const a = v0, b0 = v0 + 1, b1 = v0 + 2, acc = (t: number) => v0 + 3 + t;
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const x of parts) code.push(...x); };

  for (let r = 1; r < mr && !unitRows; r++) {
    emit(r === 1 ? op.localGet(ars) : [...op.localGet(rowOff(r - 1)), ...op.localGet(ars), ...op.i32Add], op.localSet(rowOff(r)));
  }
  emit(op.i32Const(0), op.localSet(i));
  emit(op.loop); // row panels
  emit(op.i32Const(0), op.localSet(j));
  emit(op.loop); // column panels
  for (let t = 0; t < 2 * mr; t++) emit(op.v128Zero, op.localSet(acc(t)));
  emit(op.localGet(ap), op.localGet(i), op.localGet(ais), op.i32Mul, op.i32Add, op.localSet(pa));
  emit(op.localGet(bp), op.localGet(j), op.localGet(bjs), op.i32Mul, op.i32Add, op.localSet(pb));
  emit(op.localGet(k), op.localSet(p));
  emit(op.loop); // k
  emit(op.localGet(pb), op.v128Load(0), op.localSet(b0));
  emit(op.localGet(pb), op.v128Load(16), op.localSet(b1));
  for (let r = 0; r < mr; r++) {
    emit(op.localGet(pa));
    if (r > 0 && !unitRows) emit(op.localGet(rowOff(r)), op.i32Add);
    emit(op.v128Load32Splat(unitRows ? 4 * r : 0), op.localSet(a));
    emit(op.localGet(acc(2 * r)), op.localGet(a), op.localGet(b0), op.f32x4Mul, op.f32x4Add, op.localSet(acc(2 * r)));
    emit(op.localGet(acc(2 * r + 1)), op.localGet(a), op.localGet(b1), op.f32x4Mul, op.f32x4Add, op.localSet(acc(2 * r + 1)));
  }
  emit(op.localGet(pa), op.localGet(aps), op.i32Add, op.localSet(pa));
  emit(op.localGet(pb), op.localGet(bps), op.i32Add, op.localSet(pb));
  emit(op.localGet(p), op.i32Const(1), op.i32Sub, op.localTee(p), op.brIf(0));
  emit(op.end);
  // Store the tile at C + i·mr·ldc + j·32 bytes.
  emit(op.localGet(cp), op.localGet(i), op.i32Const(mr), op.i32Mul, op.localGet(ldc), op.i32Mul, op.i32Add);
  emit(op.localGet(j), op.i32Const(5), op.i32Shl, op.i32Add, op.localSet(cptr));
  for (let r = 0; r < mr; r++) {
    for (const half of [0, 1]) emit(op.localGet(cptr), op.localGet(acc(2 * r + half)), op.v128Store(16 * half));
    if (r < mr - 1) emit(op.localGet(cptr), op.localGet(ldc), op.i32Add, op.localSet(cptr));
  }
  emit(op.localGet(j), op.i32Const(1), op.i32Add, op.localTee(j), op.localGet(nb), op.i32LtU, op.brIf(0));
  emit(op.end);
  emit(op.localGet(i), op.i32Const(1), op.i32Add, op.localTee(i), op.localGet(mb), op.i32LtU, op.brIf(0));
  emit(op.end);
  return code;
}

/**
 * Name of the strided kernel with `mr`-row tiles; `unitRows`: the variant for
 * ars = 4 (a transposed A, a packed panel), whose rows sit at constant
 * offsets 4r from the panel pointer, so it saves the mr - 1 address adds per
 * k step (about a tenth of the time of a 4 × 8 tile at k = 64..256, measured
 * on packed panels: 48 against 43 GFLOP/s).
 */
export const gemmStridedName = (mr: number, unitRows = false): string => `gemm_strided_${mr}${unitRows ? '_unit' : ''}`;

/** The strided kernel of `mr`-row tiles (1 <= mr <= MR) as a module function; `unitRows` needs ars = 4. */
export function gemmStridedSpec(mr: number, unitRows = false): FunctionSpec {
  return {
    name: gemmStridedName(mr, unitRows),
    params: new Array<number>(12).fill(I32),
    locals: [[6 + Math.max(0, mr - 1), I32], [3 + 2 * mr, V128]],
    body: stridedBody(mr, unitRows),
  };
}

/**
 * Adds a bias row to C after the product: gemm_add_row(c, bias, rows, n,
 * ldc), byte addresses and row stride; n/4 vector adds and n mod 4 scalar
 * ones per row, each a float32 add (the bits of `add`). A bias added in the
 * kernel's tile store instead, with the bias pointer as a 13th parameter,
 * measured 5% slower in the k loop under V8 (41 against 43 GFLOP/s at
 * 1024×256·256×256), more than this pass costs.
 */
function addRowBody(): number[] {
  const [c, bias, rows, n, ldc] = [0, 1, 2, 3, 4];
  const [ptr, q, t, row] = [5, 6, 7, 8];
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const x of parts) code.push(...x); };
  const counted = (count: readonly number[], body: () => void) => {
    emit(count, op.localSet(t), op.block, op.localGet(t), op.i32Eqz, op.brIf(0), op.loop);
    body();
    emit(op.localGet(t), op.i32Const(1), op.i32Sub, op.localTee(t), op.brIf(0), op.end, op.end);
  };
  emit(op.i32Const(0), op.localSet(row));
  emit(op.loop);
  emit(op.localGet(c), op.localGet(row), op.localGet(ldc), op.i32Mul, op.i32Add, op.localSet(ptr), op.localGet(bias), op.localSet(q));
  counted([...op.localGet(n), ...op.i32Const(2), ...op.i32ShrU], () => {
    emit(op.localGet(ptr), op.localGet(ptr), op.v128Load(0), op.localGet(q), op.v128Load(0), op.f32x4Add, op.v128Store(0));
    emit(op.localGet(ptr), op.i32Const(16), op.i32Add, op.localSet(ptr), op.localGet(q), op.i32Const(16), op.i32Add, op.localSet(q));
  });
  counted([...op.localGet(n), ...op.i32Const(3), ...op.i32And], () => {
    emit(op.localGet(ptr), op.localGet(ptr), op.f32Load(0), op.localGet(q), op.f32Load(0), op.f32Add, op.f32Store(0));
    emit(op.localGet(ptr), op.i32Const(4), op.i32Add, op.localSet(ptr), op.localGet(q), op.i32Const(4), op.i32Add, op.localSet(q));
  });
  emit(op.localGet(row), op.i32Const(1), op.i32Add, op.localTee(row), op.localGet(rows), op.i32LtU, op.brIf(0));
  emit(op.end);
  return code;
}

export type GemmAddRowFn = (c: number, bias: number, rows: number, n: number, ldc: number) => void;

/**
 * Packs a transposed B (stored n × k, row-major) into the kernel's 8-column
 * panels [panel][p][col]: gemm_pack_bt(src, dst, n, k), byte addresses,
 * n, k >= 1. Rows of the source are read in order and each lands in one
 * column of its panel (stride 32 bytes); the columns of a last partial panel
 * past n are left as they are (the caller zeroes them).
 */
function packTransposedBBody(): number[] {
  const [src, dst, n, k] = [0, 1, 2, 3];
  const [j, p, col, row] = [4, 5, 6, 7];
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const x of parts) code.push(...x); };
  emit(op.i32Const(0), op.localSet(j));
  emit(op.loop);
  // col = dst + ((j >> 3)·8k + (j & 7))·4, row = src + j·k·4
  emit(op.localGet(dst), op.localGet(j), op.i32Const(3), op.i32ShrU, op.localGet(k), op.i32Mul, op.i32Const(3), op.i32Shl);
  emit(op.localGet(j), op.i32Const(7), op.i32And, op.i32Add, op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(col));
  emit(op.localGet(src), op.localGet(j), op.localGet(k), op.i32Mul, op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(row));
  emit(op.localGet(k), op.localSet(p));
  emit(op.loop);
  emit(op.localGet(col), op.localGet(row), op.f32Load(0), op.f32Store(0));
  emit(op.localGet(col), op.i32Const(32), op.i32Add, op.localSet(col));
  emit(op.localGet(row), op.i32Const(4), op.i32Add, op.localSet(row));
  emit(op.localGet(p), op.i32Const(1), op.i32Sub, op.localTee(p), op.brIf(0));
  emit(op.end);
  emit(op.localGet(j), op.i32Const(1), op.i32Add, op.localTee(j), op.localGet(n), op.i32LtU, op.brIf(0));
  emit(op.end);
  return code;
}

/**
 * Copies `panels` runs of k rows of `w` bytes each (w = 32 or 16) from a
 * row-major source into contiguous panels [panel][p][w bytes]:
 * gemm_pack_<w>(src, dst, panels, k, rowBytes), byte addresses, panels,
 * k >= 1; one or two 16-byte loads and stores per panel row. With w = 32 it
 * packs a row-major B (k × n) into the kernel's 8-column panels; a last
 * partial panel copies the floats past n of each row as well (the next row's
 * first ones, or up to 7 past the last row), which reach only columns of C
 * that are never kept. With w = 16 it packs a transposed A (stored k × m)
 * into 4-row panels, whole panels only.
 */
function packRowsBody(w: 16 | 32): number[] {
  const [src, dst, panels, k, rowBytes] = [0, 1, 2, 3, 4];
  const [jb, p, from, to] = [5, 6, 7, 8];
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const x of parts) code.push(...x); };
  emit(op.i32Const(0), op.localSet(jb), op.localGet(dst), op.localSet(to));
  emit(op.loop);
  emit(op.localGet(src), op.localGet(jb), op.i32Const(w === 32 ? 5 : 4), op.i32Shl, op.i32Add, op.localSet(from));
  emit(op.localGet(k), op.localSet(p));
  emit(op.loop);
  for (let o = 0; o < w; o += 16) emit(op.localGet(to), op.localGet(from), op.v128Load(o), op.v128Store(o));
  emit(op.localGet(to), op.i32Const(w), op.i32Add, op.localSet(to));
  emit(op.localGet(from), op.localGet(rowBytes), op.i32Add, op.localSet(from));
  emit(op.localGet(p), op.i32Const(1), op.i32Sub, op.localTee(p), op.brIf(0));
  emit(op.end);
  emit(op.localGet(jb), op.i32Const(1), op.i32Add, op.localTee(jb), op.localGet(panels), op.i32LtU, op.brIf(0));
  emit(op.end);
  return code;
}

const packRows = (w: 16 | 32): FunctionSpec =>
  ({ name: `gemm_pack_${w}`, params: [I32, I32, I32, I32, I32], locals: [[4, I32]], body: packRowsBody(w) });

export type GemmPackRowsFn = (src: number, dst: number, panels: number, k: number, rowBytes: number) => void;

export const GEMM_PACK_BT: FunctionSpec = { name: 'gemm_pack_bt', params: [I32, I32, I32, I32], locals: [[4, I32]], body: packTransposedBBody() };

export type GemmPackFn = (src: number, dst: number, n: number, k: number) => void;

/** Every tile height 1..MR (general and unit-row), the bias pass and the packings. */
export const GEMM_STRIDED_SPECS: readonly FunctionSpec[] = [
  ...[false, true].flatMap((unit) => Array.from({ length: MR }, (_, r) => gemmStridedSpec(r + 1, unit))),
  { name: 'gemm_add_row', params: [I32, I32, I32, I32, I32], locals: [[4, I32]], body: addRowBody() },
  GEMM_PACK_BT,
  packRows(32),
  packRows(16),
];

export type GemmStridedFn = (
  ap: number, bp: number, cp: number, mb: number, nb: number, k: number, ldc: number,
  aps: number, ars: number, ais: number, bps: number, bjs: number,
) => void;

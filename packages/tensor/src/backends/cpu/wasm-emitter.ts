/**
 * The few pieces of the WebAssembly binary format (core spec 1.0 plus the
 * fixed-width SIMD proposal) needed to write small compute kernels by hand,
 * so the kernels' bytes come from this repository and no external compiler.
 */

/** Unsigned LEB128, the encoding of every size and index in a module. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128, the encoding of i32.const immediates. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function utf8Name(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [...uleb(bytes.length), ...bytes];
}

/** A section: id, byte length, payload. */
export function section(id: number, payload: readonly number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

/** A vector: element count, then the concatenated elements. */
export function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Opcodes used by the kernels (byte sequences, SIMD ones behind the 0xfd prefix). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32LtU: [0x49],
  i32Eqz: [0x45],
  i32And: [0x71],
  i32ShrU: [0x76],
  f64Add: [0xa0],
  f64Const0: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  f64PromoteF32: [0xbb],
  f32DemoteF64: [0xb6],
  f32Store: (offset: number) => [0x38, 2, ...uleb(offset)],
  f32Add: [0x92],
  /** Lanes 8..15 of the first operand into lanes 0..7 (and again into 8..15). */
  i8x16ShuffleHigh: [0xfd, ...uleb(13), 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
  f64x2PromoteLowF32x4: [0xfd, ...uleb(0x5f)],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f32x4DemoteF64x2Zero: [0xfd, ...uleb(0x5e)],
  /** Lanes 0..7 of the first operand, then lanes 0..7 of the second. */
  i8x16ShuffleLowLow: [0xfd, ...uleb(13), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23],
  f64x2ExtractLane: (lane: number) => [0xfd, ...uleb(0x21), lane],
  f32Load: (offset: number) => [0x2a, 2, ...uleb(offset)],
  i32Load: (offset: number) => [0x28, 2, ...uleb(offset)],
  v128Load: (offset: number) => [0xfd, ...uleb(0), 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(11), 4, ...uleb(offset)],
  v128Zero: [0xfd, ...uleb(12), ...new Array<number>(16).fill(0)],
  f32x4Splat: [0xfd, ...uleb(19)],
  /** One f32 from memory into all four lanes (one broadcasting load on x86-64 with AVX). */
  v128Load32Splat: (offset: number) => [0xfd, ...uleb(9), 2, ...uleb(offset)],
  f32x4Add: [0xfd, ...uleb(228)],
  f32x4Mul: [0xfd, ...uleb(230)],
  /** A constant vector of four equal f32 lanes. */
  f32x4Const: (v: number) => {
    const bytes = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
    return [0xfd, ...uleb(12), ...bytes];
  },
  /** A constant vector of four equal i32 lanes. */
  i32x4Const: (v: number) => {
    const bytes = new Uint8Array(new Int32Array([v, v, v, v]).buffer);
    return [0xfd, ...uleb(12), ...bytes];
  },
  f32x4Ne: [0xfd, ...uleb(0x42)],
  f32x4Lt: [0xfd, ...uleb(0x43)],
  f32x4Ge: [0xfd, ...uleb(0x46)],
  v128And: [0xfd, ...uleb(0x4e)],
  v128Or: [0xfd, ...uleb(0x50)],
  v128Bitselect: [0xfd, ...uleb(0x52)],
  f32x4Nearest: [0xfd, ...uleb(0x6a)],
  i32x4Shl: [0xfd, ...uleb(0xab)],
  i32x4ShrS: [0xfd, ...uleb(0xac)],
  i32x4Add: [0xfd, ...uleb(0xae)],
  i32x4Sub: [0xfd, ...uleb(0xb1)],
  f32x4Abs: [0xfd, ...uleb(0xe0)],
  f32x4Neg: [0xfd, ...uleb(0xe1)],
  f32x4Sqrt: [0xfd, ...uleb(0xe3)],
  f32x4Sub: [0xfd, ...uleb(0xe5)],
  f32x4Div: [0xfd, ...uleb(0xe7)],
  f32x4Min: [0xfd, ...uleb(0xe8)],
  f32x4Max: [0xfd, ...uleb(0xe9)],
  i32x4TruncSatF32x4S: [0xfd, ...uleb(0xf8)],
} as const;

export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly number[];
  /** Extra locals after the parameters, as [count, type] runs. */
  readonly locals: readonly (readonly [number, number])[];
  readonly body: readonly number[];
}

/**
 * A module with one exported memory ("memory", `pages` 64 KiB pages initially)
 * and the given functions, each with its own type and no results. With
 * `sharedMaxPages` the memory is instead imported as env.memory, shared and
 * limited to that many pages, so several threads can run the functions on it;
 * with `importMemory` it is imported as env.memory, unshared, of at least `pages`.
 */
export function emitModule(
  fns: readonly FunctionSpec[], pages: number, sharedMaxPages?: number, importMemory = false,
): Uint8Array<ArrayBuffer> {
  const types = fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec([])]);
  const funcs = fns.map((_, i) => uleb(i));
  const limits = sharedMaxPages === undefined
    ? [0x00, ...uleb(pages)]
    : [0x03, ...uleb(pages), ...uleb(sharedMaxPages)];
  const exports = vec([
    [...utf8Name('memory'), 0x02, ...uleb(0)],
    ...fns.map((f, i) => [...utf8Name(f.name), 0x00, ...uleb(i)]),
  ]);
  const bodies = fns.map((f) => {
    const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, ...op.end];
    return [...uleb(body.length), ...body];
  });
  const imported = sharedMaxPages !== undefined || importMemory;
  const memorySections = !imported
    ? { imports: [], memory: section(5, vec([limits])) }
    : { imports: section(2, vec([[...utf8Name('env'), ...utf8Name('memory'), 0x02, ...limits]])), memory: [] };
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...memorySections.imports,
    ...section(3, vec(funcs)),
    ...memorySections.memory,
    ...section(7, exports),
    ...section(10, vec(bodies)),
  ]);
}

/**
 * The exports of a module with its own memory and no imports, instantiated on
 * first call and kept; null (also kept) where WebAssembly or the SIMD
 * extension is missing or refuses the bytes.
 */
export function lazyKernels<T>(bytes: Uint8Array<ArrayBuffer>): () => T | null {
  let exports: T | null | undefined;
  return () => {
    if (exports !== undefined) return exports;
    exports = null;
    try {
      if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
        exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as T;
      }
    } catch {
      exports = null;
    }
    return exports;
  };
}

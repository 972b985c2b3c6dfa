import type { DType, TypedArray } from '../../dtype.js';
import { elementwiseModule } from './wasm-elementwise.js';

/**
 * The CPU buffer pool. Tensor storage of 16 elements or more is carved out of
 * one large WebAssembly memory (an "arena", never grown, so views stay valid;
 * its pages are backed by the OS only once touched, so a 1 GiB arena costs
 * what is used), a second one only when it is full, in size classes of four per octave (4, 5, 6 and 7 × 2^k bytes, at
 * most 25% slack); a released block goes on its class's free list and the
 * next output of that class reuses it without zero-filling. Because tensors
 * live in WebAssembly memory, the SIMD elementwise loops run on them in place.
 *
 * Safety: a block is handed out again only after `recycle`, which the CPU
 * backend calls when the last tensor viewing the storage lets go of it
 * (dispose, tidy, or the FinalizationRegistry when the tensor is collected);
 * tensors that alias storage (reshape, autodiff leaves) share one reference-
 * counted handle, so a live view keeps its block out of the free lists. A
 * block recycled twice, or storage the pool did not hand out, is ignored.
 */

/** Arena sizes tried, in 64 KiB pages (1 GiB, then smaller where the host refuses). */
const ARENA_PAGES = [16384, 4096, 1024];
/** Smaller arrays are plain typed arrays: a pool round trip costs more than they do. */
const MIN_POOLED = 16;
/** Larger blocks are plain typed arrays (their allocation is amortised over the work). */
const MAX_BLOCK = 64 << 20;
/** Arenas at most; beyond them storage is plain typed arrays. */
const MAX_ARENAS = 3;

export interface Arena {
  readonly buffer: ArrayBuffer;
  readonly bytes: number;
  readonly exports: Record<string, unknown>;
  /** Bump pointer: bytes handed out so far. */
  top: number;
  /** Byte offset -> class bytes of each block in use. */
  readonly issued: Map<number, number>;
  /** Class bytes -> offsets of free blocks. */
  readonly free: Map<number, number[]>;
  freeBytes: number;
}

const arenas: Arena[] = [];
const arenaOf = new Map<ArrayBuffer, Arena>();
let disabled = false;

/** Bytes of the size class holding `bytes`: the next of 4, 5, 6, 7 × 2^k at or above it. */
export function sizeClass(bytes: number): number {
  const p = 2 ** Math.floor(Math.log2(bytes));
  if (p === bytes) return bytes;
  const step = Math.max(16, p / 4);
  return Math.ceil(bytes / step) * step;
}

function newArena(): Arena | null {
  if (disabled || arenas.length >= MAX_ARENAS) return null;
  const module = elementwiseModule();
  if (module === null) {
    disabled = true;
    return null;
  }
  let memory: WebAssembly.Memory | null = null;
  for (const initial of ARENA_PAGES) {
    try {
      memory = new WebAssembly.Memory({ initial });
      break;
    } catch {
      // RangeError: not that much address space here; try a smaller arena.
    }
  }
  if (memory === null) return null;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const buffer = memory.buffer;
  const arena: Arena = { buffer, bytes: buffer.byteLength, exports, top: 0, issued: new Map(), free: new Map(), freeBytes: 0 };
  arenas.push(arena);
  arenaOf.set(arena.buffer, arena);
  return arena;
}

function takeFrom(arena: Arena, cls: number): number {
  const list = arena.free.get(cls);
  if (list !== undefined && list.length > 0) {
    arena.freeBytes -= cls;
    return list.pop()!;
  }
  if (arena.top + cls > arena.bytes) return -1;
  const off = arena.top;
  arena.top += cls;
  return off;
}

/**
 * An array of n elements whose contents are unspecified (the caller writes
 * every element), from the pool where it can; `near` asks for the arena of
 * an input, so the SIMD loops can run on both.
 */
export function outputArray(dtype: DType, n: number, near?: TypedArray): TypedArray {
  const bytes = n * 4;
  if (n >= MIN_POOLED && bytes <= MAX_BLOCK && !disabled) {
    const cls = sizeClass(bytes);
    const first = near !== undefined && near.length >= MIN_POOLED ? arenaOf.get(near.buffer as ArrayBuffer) : undefined;
    let arena: Arena | undefined, off = -1;
    if (first !== undefined) { arena = first; off = takeFrom(first, cls); }
    for (let i = 0; off < 0 && i < arenas.length; i++) { arena = arenas[i]!; off = takeFrom(arena, cls); }
    if (off < 0) {
      arena = newArena() ?? undefined;
      if (arena !== undefined) off = takeFrom(arena, cls);
    }
    if (arena !== undefined && off >= 0) {
      arena.issued.set(off, cls);
      return dtype === 'int32' ? new Int32Array(arena.buffer, off, n) : new Float32Array(arena.buffer, off, n);
    }
  }
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

/** The arena an array lives in, if it came from the pool. */
export function arenaOfArray(a: TypedArray): Arena | undefined {
  return a.length >= MIN_POOLED ? arenaOf.get(a.buffer as ArrayBuffer) : undefined;
}

/** Gives a block back to the pool; anything else (plain arrays, a second recycle) is ignored. */
export function recycle(a: TypedArray): void {
  const arena = arenaOfArray(a);
  if (arena === undefined) return;
  const cls = arena.issued.get(a.byteOffset);
  if (cls === undefined) return;
  arena.issued.delete(a.byteOffset);
  let list = arena.free.get(cls);
  if (list === undefined) arena.free.set(cls, (list = []));
  list.push(a.byteOffset);
  arena.freeBytes += cls;
}

/** Drops arenas with no block in use, so their memory can be collected. */
export function trimPool(): void {
  for (let i = arenas.length - 1; i >= 0; i--) {
    const arena = arenas[i]!;
    if (arena.issued.size > 0) continue;
    arenas.splice(i, 1);
    arenaOf.delete(arena.buffer);
  }
}

/** Arenas, their bytes in use and free (on free lists). */
export function poolStats(): { arenas: number; usedBytes: number; freeBytes: number } {
  let used = 0, free = 0;
  for (const a of arenas) {
    free += a.freeBytes;
    used += a.top - a.freeBytes;
  }
  return { arenas: arenas.length, usedBytes: used, freeBytes: free };
}

import type { DType, TypedArray } from '../../dtype.js';
import { elementwiseModule } from './wasm-elementwise.js';

/**
 * The CPU buffer pool. Tensor storage of 16 elements or more is carved out of
 * one large WebAssembly memory (an "arena", never grown, so views stay valid;
 * its pages are backed by the OS only once touched, so a 1 GiB arena costs
 * what is used), a second one only when it is full, in size classes of four per octave (4, 5, 6 and 7 × 2^k bytes, at
 * most 25% slack); a released block goes on its class's free list and the
 * next output of that class reuses it without zero-filling (or of a class up
 * to twice smaller, when its own list is empty). Because tensors
 * live in WebAssembly memory, the SIMD elementwise loops run on them in place.
 *
 * Memory bound: pages of WebAssembly memory, once touched, stay resident until
 * the whole memory is collected, and pool blocks put no pressure on the
 * garbage collector (tensors that are never disposed give their block back
 * only when collected). So the pool commits at most `POOL_LIMIT` bytes (the
 * sum of the arenas' bump pointers): past it, outputs are plain typed arrays,
 * which the collector sees, until blocks come back. At the limit a larger
 * free block is split, and failing that free blocks that touch are merged,
 * before falling back: blocks one phase left on the free lists (a training
 * step's narrow ones, an evaluation's wide ones) serve the next phase. `trimPool` drops arenas that no tensor uses.
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
/** Bytes the pool commits at most (the peak working set of one flow-sized training step fits in it). */
const POOL_LIMIT = 256 << 20;
let limit = POOL_LIMIT;
/** Sum of the arenas' bump pointers: bytes committed. */
let committed = 0;

export interface Arena {
  readonly buffer: ArrayBuffer;
  readonly bytes: number;
  readonly exports: Record<string, unknown>;
  /** Per-op tables of exports (by op name), filled on first use: a lookup by a built string costs about 0.1 µs per op. */
  readonly unaryFns: Map<string, unknown>;
  readonly binaryFns: Map<string, unknown>;
  /** Bump pointer: bytes handed out so far. */
  top: number;
  /**
   * Byte offset -> class bytes of each block in use, 0 once it is free. Entries stay when a block
   * is freed (and are updated in place when it is handed out again): a V8 Map with a few
   * thousand entries and a delete + set per op rehashes so often that one set took 13 µs.
   */
  readonly issued: Map<number, number>;
  /** Blocks in use (non-zero entries of `issued`). */
  inUse: number;
  /**
   * Byte offset -> the last array recycled there: handed out again when a
   * request of its length and type gets that block (a view on the same
   * bytes, so nothing is shared that sharing the block does not already
   * share), saving a typed array per op for the collector.
   */
  readonly views: Map<number, TypedArray>;
  /** Class bytes -> offsets of free blocks. */
  readonly free: Map<number, number[]>;
  freeBytes: number;
  /** Blocks came back since the free lists were last coalesced. */
  dirty: boolean;
}

const arenas: Arena[] = [];
let disabled = false;

/** Bytes of the size class holding `bytes`: the next of 4, 5, 6, 7 × 2^k at or above it. */
export function sizeClass(bytes: number): number {
  // p = 2^⌊log2 bytes⌋ from the leading zeros (bytes < 2^31 here).
  const p = (1 << (31 - Math.clz32(bytes))) >>> 0;
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
  const arena: Arena = { buffer, bytes: buffer.byteLength, exports, unaryFns: new Map(), binaryFns: new Map(), top: 0, issued: new Map(), inUse: 0, views: new Map(), free: new Map(), freeBytes: 0, dirty: false };
  arenas.push(arena);
  return arena;
}

/** The next size class above `cls`. */
const nextClass = (cls: number) => sizeClass(cls + 1);

/**
 * Class of the block the last successful `reuse`, `split` or `bump` gave
 * (they return its offset, or -1): no object per request.
 */
let gotCls = 0;

/** A free block of class `cls` or of one up to twice larger: its offset (class in `gotCls`), or -1. */
function reuse(arena: Arena, cls: number): number {
  for (let c = cls; c <= 2 * cls; c = nextClass(c)) {
    const list = arena.free.get(c);
    if (list !== undefined && list.length > 0) {
      arena.freeBytes -= c;
      gotCls = c;
      return list.pop()!;
    }
  }
  return -1;
}

/**
 * At the limit: the smallest free block larger than `cls`, split in two; the
 * request gets its head and the tail (any multiple of 16 bytes) goes on the
 * free list of its own size, where a later split or a request of that class
 * finds it.
 */
function split(arena: Arena, cls: number): number {
  let best = 0;
  for (const [c, list] of arena.free) if (c > cls && list.length > 0 && (best === 0 || c < best)) best = c;
  if (best === 0) return -1;
  const off = arena.free.get(best)!.pop()!;
  const tail = best - cls;
  let list = arena.free.get(tail);
  if (list === undefined) arena.free.set(tail, (list = []));
  list.push(off + cls);
  arena.freeBytes -= cls;
  gotCls = cls;
  return off;
}

/**
 * Merges free blocks that touch into one block each, keyed by its size, and
 * gives a free run that ends at the bump pointer back to it; false when
 * nothing came back since the last call. O(f log f) for f free blocks, run
 * only when a request at the limit finds no block.
 */
function coalesce(arena: Arena): boolean {
  if (!arena.dirty) return false;
  arena.dirty = false;
  const blocks: [number, number][] = [];
  for (const [c, list] of arena.free) for (const off of list) blocks.push([off, c]);
  // Merged blocks' offsets are no longer block starts: their (free) entries go, in one batch.
  for (const [off, c] of arena.issued) if (c === 0) arena.issued.delete(off);
  blocks.sort((a, b) => a[0] - b[0]);
  arena.free.clear();
  const runs: [number, number][] = [];
  for (const b of blocks) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] + last[1] === b[0]) last[1] += b[1];
    else runs.push([b[0], b[1]]);
  }
  const end = runs[runs.length - 1];
  if (end !== undefined && end[0] + end[1] === arena.top) {
    runs.pop();
    arena.top = end[0];
    committed -= end[1];
    arena.freeBytes -= end[1];
  }
  for (const [off, size] of runs) {
    let list = arena.free.get(size);
    if (list === undefined) arena.free.set(size, (list = []));
    list.push(off);
  }
  return true;
}

function bump(arena: Arena, cls: number): number {
  if (arena.top + cls > arena.bytes || committed + cls > limit) return -1;
  const off = arena.top;
  arena.top += cls;
  committed += cls;
  gotCls = cls;
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
    const first = near !== undefined ? arenaOfArray(near) : undefined;
    let arena: Arena | undefined, got = -1;
    // Free blocks first (the input's arena, then any), then fresh ones, then a new arena.
    if (first !== undefined) { arena = first; got = reuse(first, cls); }
    for (let i = 0; got < 0 && i < arenas.length; i++) { arena = arenas[i]!; got = reuse(arena, cls); }
    if (first !== undefined && got < 0) { arena = first; got = bump(first, cls); }
    for (let i = 0; got < 0 && i < arenas.length; i++) { arena = arenas[i]!; got = bump(arena, cls); }
    if (got < 0 && committed + cls <= limit) {
      arena = newArena() ?? undefined;
      if (arena !== undefined) got = bump(arena, cls);
    }
    for (let i = 0; got < 0 && i < arenas.length; i++) { arena = arenas[i]!; got = split(arena, cls); }
    for (let i = 0; got < 0 && i < arenas.length; i++) {
      arena = arenas[i]!;
      if (!coalesce(arena)) continue;
      got = reuse(arena, cls);
      if (got < 0) got = bump(arena, cls);
      if (got < 0) got = split(arena, cls);
    }
    if (arena !== undefined && got >= 0) {
      arena.issued.set(got, gotCls);
      arena.inUse++;
      const v = arena.views.get(got);
      if (v !== undefined && v.length === n && (v instanceof Int32Array) === (dtype === 'int32')) return v;
      return dtype === 'int32' ? new Int32Array(arena.buffer, got, n) : new Float32Array(arena.buffer, got, n);
    }
  }
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

/** The arena an array lives in, if it came from the pool. */
export function arenaOfArray(a: TypedArray): Arena | undefined {
  if (a.length < MIN_POOLED) return undefined;
  // At most MAX_ARENAS: a scan is cheaper than a map lookup.
  const buffer = a.buffer;
  for (let i = 0; i < arenas.length; i++) if (arenas[i]!.buffer === buffer) return arenas[i];
  return undefined;
}

/**
 * Bytes of the pool block that starts at `a` (its size class, at least
 * a.byteLength), or 0 where `a` is not the start of a block in use: what a
 * loop over whole 16-byte vectors may touch from a's start.
 */
export function blockBytes(a: TypedArray): number {
  return arenaOfArray(a)?.issued.get(a.byteOffset) ?? 0;
}

/** Gives a block back to the pool; anything else (plain arrays, a second recycle) is ignored. */
export function recycle(a: TypedArray): void {
  const arena = arenaOfArray(a);
  if (arena === undefined) return;
  const cls = arena.issued.get(a.byteOffset);
  if (!cls) return;
  arena.issued.set(a.byteOffset, 0);
  arena.inUse--;
  arena.views.set(a.byteOffset, a);
  let list = arena.free.get(cls);
  if (list === undefined) arena.free.set(cls, (list = []));
  list.push(a.byteOffset);
  arena.freeBytes += cls;
  arena.dirty = true;
}

/**
 * Sets the bytes the pool may commit (default 256 MiB) and returns the
 * previous limit; for tests of the bound. Committed blocks stay committed.
 */
export function setPoolLimit(bytes: number): number {
  const previous = limit;
  limit = bytes;
  return previous;
}

/** Drops arenas with no block in use, so their memory can be collected. */
export function trimPool(): void {
  for (let i = arenas.length - 1; i >= 0; i--) {
    const arena = arenas[i]!;
    if (arena.inUse > 0) continue;
    committed -= arena.top;
    arenas.splice(i, 1);
  }
}

/** Arenas, their bytes in use, free (on free lists) and committed (in use + free: the pool's resident bytes at most). */
export function poolStats(): { arenas: number; usedBytes: number; freeBytes: number; committedBytes: number } {
  let used = 0, free = 0;
  for (const a of arenas) {
    free += a.freeBytes;
    used += a.top - a.freeBytes;
  }
  return { arenas: arenas.length, usedBytes: used, freeBytes: free, committedBytes: committed };
}

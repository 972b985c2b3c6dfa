import { describe, expect, it } from 'vitest';
import { emitModule, op } from './wasm-emitter.js';
import { interleave, renameLocals } from './interleave.js';
import { constPool, plainLoop, R, T, X, Y } from './unary-loop.js';

// A body with a chain through three scratch locals and two constants:
// y = x·x; r = y + 0.75; t = r·x − y; result t·(r + 1.25).
function body(c: ReturnType<typeof constPool>): number[] {
  return [
    ...op.localGet(X), ...op.localGet(X), ...op.f32x4Mul, ...op.localSet(Y),
    ...op.localGet(Y), ...c.f32(0.75), ...op.f32x4Add, ...op.localSet(R),
    ...op.localGet(R), ...op.localGet(X), ...op.f32x4Mul, ...op.localGet(Y), ...op.f32x4Sub, ...op.localSet(T),
    ...op.localGet(T), ...op.localGet(R), ...c.f32(1.25), ...op.f32x4Add, ...op.f32x4Mul,
  ];
}

const f = Math.fround;
const reference = (x: number) => { const y = f(x * x), r = f(y + 0.75), t = f(f(r * x) - y); return f(t * f(r + 1.25)); };

function run(copies: number, xs: Float32Array): Float32Array {
  const c = constPool();
  const fn = plainLoop('k', c, body(c), copies);
  const ex = new WebAssembly.Instance(new WebAssembly.Module(emitModule([fn], 1)), {}).exports as { memory: WebAssembly.Memory; k: (s: number, d: number, n: number) => void };
  const mem = new Float32Array(ex.memory.buffer);
  mem.set(xs, 0);
  mem.fill(-7, 8192, 16384);
  ex.k(0, 8192 * 4, Math.ceil(xs.length / 4));
  return mem.slice(8192, 8192 + xs.length + 4);
}

describe.skipIf(typeof WebAssembly !== 'object')('several vectors per iteration, statements interleaved', () => {
  it('gives each element the float32 result of the body, 1 to 4 vectors per iteration, any count of vectors, touching nothing past the last', () => {
    for (const vectors of [1, 2, 3, 4, 5, 6, 7, 100, 101, 102, 103]) {
      const xs = Float32Array.from({ length: 4 * vectors }, (_, i) => Math.sin(i) * 3);
      for (const copies of [1, 2, 3, 4]) {
        const out = run(copies, xs);
        for (let i = 0; i < xs.length; i++) expect(out[i], `x = ${xs[i]}`).toBe(reference(xs[i]!));
        expect([...out.slice(xs.length)]).toEqual([-7, -7, -7, -7]);
      }
    }
  });

  it('renames only the locals asked for, and alternates statements', () => {
    const a = [...op.localGet(3), ...op.localSet(4), ...op.localGet(4), ...op.f32x4Neg, ...op.localSet(3)];
    const b = renameLocals(a, (l) => l + 10);
    expect(b).toEqual([...op.localGet(13), ...op.localSet(14), ...op.localGet(14), ...op.f32x4Neg, ...op.localSet(13)]);
    expect(interleave(a, b)).toEqual([
      ...op.localGet(3), ...op.localSet(4), ...op.localGet(13), ...op.localSet(14),
      ...op.localGet(4), ...op.f32x4Neg, ...op.localSet(3), ...op.localGet(14), ...op.f32x4Neg, ...op.localSet(13),
    ]);
  });

  it('refuses more copies than it has locals for', () => {
    const c = constPool();
    expect(() => plainLoop('k', c, body(c), 5)).toThrow(/copies/);
  });

  it('refuses code it cannot split safely (constants inline, control flow, memory access)', () => {
    expect(() => renameLocals([...op.f32x4Const(1)], (l) => l)).toThrow(/immediates/);
    expect(() => renameLocals([...op.v128Load(0)], (l) => l)).toThrow(/immediates/);
    expect(() => renameLocals([...op.brIf(0)], (l) => l)).toThrow(/straight-line/);
  });
});

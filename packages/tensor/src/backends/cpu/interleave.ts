import type { Code } from './simd-code.js';
import { uleb } from './wasm-emitter.js';
import { RheoError } from '../../errors.js';

/**
 * Two copies of a vector body, statement by statement: the unary kernels'
 * loops are bound by the latency of one vector's chain of dependent
 * operations (exp's reduction and polynomial, a division), not by
 * throughput, and V8 emits WebAssembly in the order written (no instruction
 * scheduling on x64), so two independent chains written side by side run
 * in about the time of one.
 *
 * Only what the kernel bodies use is decoded: local.get/set/tee, i32.const,
 * and SIMD instructions without immediates; anything else throws, so a body
 * that grows another instruction fails when the module is built, not silently.
 */

const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, I32_CONST = 0x41, SIMD = 0xfd;

function skipLeb(code: Code, i: number): number {
  while (code[i]! & 0x80) i++;
  return i + 1;
}

function readUleb(code: Code, i: number): [number, number] {
  let v = 0, shift = 0;
  for (;;) {
    const b = code[i++]!;
    v |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return [v >>> 0, i];
    shift += 7;
  }
}

/** Instructions of `code` as [start, end) byte ranges, with the local index of local.get/set/tee. */
function decode(code: Code): { start: number; end: number; op: number; local?: number }[] {
  const out: { start: number; end: number; op: number; local?: number }[] = [];
  for (let i = 0; i < code.length;) {
    const start = i, b = code[i++]!;
    if (b === LOCAL_GET || b === LOCAL_SET || b === LOCAL_TEE) {
      const [local, next] = readUleb(code, i);
      out.push({ start, end: next, op: b, local });
      i = next;
      continue;
    }
    if (b === I32_CONST) i = skipLeb(code, i);
    else if (b === SIMD) {
      const [simd, next] = readUleb(code, i);
      // Loads, stores, constants, shuffles and lane accesses carry immediates.
      if (simd <= 0x22 || (simd >= 0x54 && simd <= 0x5d)) throw new RheoError(`interleave(body): SIMD opcode 0x${simd.toString(16)} has immediates; expected SIMD arithmetic only (constants through a ConstPool)`);
      i = next;
    } else if ((b >= 0x02 && b <= 0x11) || (b >= 0x23 && b <= 0x44)) {
      throw new RheoError(`interleave(body): opcode 0x${b.toString(16)} is not a straight-line arithmetic instruction; expected local.get/set/tee, i32.const or SIMD arithmetic`);
    }
    out.push({ start, end: i, op: b });
  }
  return out;
}

/** `code` with local indices renamed by `rename` (indices it maps to themselves stay). */
export function renameLocals(code: Code, rename: (local: number) => number): Code {
  const out: Code = [];
  for (const ins of decode(code)) {
    if (ins.local === undefined) out.push(...code.slice(ins.start, ins.end));
    else out.push(ins.op, ...uleb(rename(ins.local)));
  }
  return out;
}

/** `code` cut after each local.set: statements that leave the stack as they found it (the last may leave a value). */
function statements(code: Code): Code[] {
  const out: Code[] = [];
  let from = 0;
  for (const ins of decode(code)) {
    if (ins.op !== LOCAL_SET) continue;
    out.push(code.slice(from, ins.end));
    from = ins.end;
  }
  if (from < code.length) out.push(code.slice(from));
  return out;
}

/** The statements of each code in turn, round robin (each a statement sequence: every one ends in local.set). */
export function interleave(...codes: Code[]): Code {
  const split = codes.map(statements);
  const out: Code = [];
  const longest = Math.max(...split.map((s) => s.length));
  for (let i = 0; i < longest; i++) for (const s of split) out.push(...(s[i] ?? []));
  return out;
}

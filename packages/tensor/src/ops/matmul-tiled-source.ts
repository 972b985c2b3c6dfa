import { decodeBatch, uniformsStruct } from './matmul-wgsl.js';

/** Workgroup WX×WY, per-invocation block TM×TN (multiples of 4), K slab BK (multiple of 4). */
export interface MatmulTile {
  readonly wx: number;
  readonly wy: number;
  readonly tm: number;
  readonly tn: number;
  readonly bk: number;
}

/** What the source is specialised on: transposes, collapsed batch rank, and which bindings are read as vec4. */
export interface MatmulVariant {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly rank: number;
  /** A (B) is bound as array<vec4<f32>>: its contiguous axis is a multiple of 4 and it is not empty. */
  readonly vecA: boolean;
  readonly vecB: boolean;
  /** C is bound as array<vec4<f32>>: N is a multiple of 4. */
  readonly vecC: boolean;
  /** A third input, a bias row of N values (binding 2), is added to every row of C as it is stored. */
  readonly bias?: boolean;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lanes = ['x', 'y', 'z', 'w'] as const;

/** Staging of the op(A) slab (BM rows × BK steps) into `As`, zeros outside M×K. */
function stageA(v: MatmulVariant, bm: number, bk: number): { count: number; body: string } {
  const bmq = bm / 4, bkq = bk / 4;
  if (!v.transposeA && v.vecA) {
    // Row-major As[r][k/4]; one vec4 holds 4 K steps of one row, as stored.
    return { count: bm * bkq, body: `let kq = idx % ${bkq}u; let r = idx / ${bkq}u;
        let gr = row0 + r; let gk = k0 + kq * 4u;
        var v = vec4<f32>(0.0);
        if (gr < M && gk < K) { v = in0[(aOff + gr * K + gk) / 4u]; }
        As[r * ${bkq}u + kq] = v;` };
  }
  if (!v.transposeA) {
    return { count: bm * bk, body: `let kk = idx % ${bk}u; let r = idx / ${bk}u;
        let gr = row0 + r; let gk = k0 + kk;
        var v = 0.0;
        if (gr < M && gk < K) { v = in0[aOff + gr * K + gk]; }
        As[r * ${bkq}u + kk / 4u][kk % 4u] = v;` };
  }
  if (v.vecA) {
    // K-major As[k][r/4]; one vec4 holds 4 rows of one K step, as stored (A is K×M).
    return { count: bmq * bk, body: `let rq = idx % ${bmq}u; let kk = idx / ${bmq}u;
        let gr = row0 + rq * 4u; let gk = k0 + kk;
        var v = vec4<f32>(0.0);
        if (gr < M && gk < K) { v = in0[(aOff + gk * M + gr) / 4u]; }
        As[kk * ${bmq}u + rq] = v;` };
  }
  return { count: bm * bk, body: `let r = idx % ${bm}u; let kk = idx / ${bm}u;
        let gr = row0 + r; let gk = k0 + kk;
        var v = 0.0;
        if (gr < M && gk < K) { v = in0[aOff + gk * M + gr]; }
        As[kk * ${bmq}u + r / 4u][r % 4u] = v;` };
}

/** Staging of the op(B) slab (BK steps × BN columns) into K-major `Bs[k][c/4]`, zeros outside K×N. */
function stageB(v: MatmulVariant, bn: number, bk: number): { count: number; body: string } {
  const bnq = bn / 4, bkq = bk / 4;
  if (!v.transposeB && v.vecB) {
    return { count: bnq * bk, body: `let cq = idx % ${bnq}u; let kk = idx / ${bnq}u;
        let gc = col0 + cq * 4u; let gk = k0 + kk;
        var v = vec4<f32>(0.0);
        if (gc < N && gk < K) { v = in1[(bOff + gk * N + gc) / 4u]; }
        Bs[kk * ${bnq}u + cq] = v;` };
  }
  if (!v.transposeB) {
    return { count: bn * bk, body: `let c = idx % ${bn}u; let kk = idx / ${bn}u;
        let gc = col0 + c; let gk = k0 + kk;
        var v = 0.0;
        if (gc < N && gk < K) { v = in1[bOff + gk * N + gc]; }
        Bs[kk * ${bnq}u + c / 4u][c % 4u] = v;` };
  }
  if (v.vecB) {
    // B is N×K: a vec4 holds 4 K steps of one column, spread over 4 rows of Bs.
    return { count: bn * bkq, body: `let kq = idx % ${bkq}u; let c = idx / ${bkq}u;
        let gc = col0 + c; let gk = k0 + kq * 4u;
        var v = vec4<f32>(0.0);
        if (gc < N && gk < K) { v = in1[(bOff + gc * K + gk) / 4u]; }
        let q = kq * ${4 * bnq}u + c / 4u; let l = c % 4u;
        Bs[q][l] = v.x; Bs[q + ${bnq}u][l] = v.y; Bs[q + ${2 * bnq}u][l] = v.z; Bs[q + ${3 * bnq}u][l] = v.w;` };
  }
  return { count: bn * bk, body: `let kk = idx % ${bk}u; let c = idx / ${bk}u;
        let gc = col0 + c; let gk = k0 + kk;
        var v = 0.0;
        if (gc < N && gk < K) { v = in1[bOff + gc * K + gk]; }
        Bs[kk * ${bnq}u + c / 4u][c % 4u] = v;` };
}

/**
 * Rank-1 updates over one staged slab. Invocation (tx, ty) owns rows
 * iq·4·WY + 4·ty + s and columns jq·4·WX + 4·tx + e, so that for each (iq, jq)
 * neighbouring invocations touch neighbouring vec4s of the slabs and of C.
 */
function compute(v: MatmulVariant, t: MatmulTile): string {
  const tmq = t.tm / 4, tnq = t.tn / 4, bmq = (t.wy * t.tm) / 4, bnq = (t.wx * t.tn) / 4, bkq = t.bk / 4;
  const bLoads = (kk: string) => range(tnq).map((jq) => `let b${jq} = Bs[(${kk}) * ${bnq}u + ${jq * t.wx}u + lid.x];`).join(' ');
  let body = '';
  if (!v.transposeA) {
    // As is row-major over K: read 4 K steps of each owned row at once.
    for (const iq of range(tmq)) {
      for (const s of range(4)) body += `        let a${iq * 4 + s} = As[(${iq * 4 * t.wy + s}u + lid.y * 4u) * ${bkq}u + kq];\n`;
    }
    for (const s of range(4)) {
      body += `        { ${bLoads(`kq * 4u + ${s}u`)}\n`;
      for (const i of range(t.tm)) {
        for (const jq of range(tnq)) body += `          acc[${i * tnq + jq}] = fma(vec4<f32>(a${i}.${lanes[s]}), b${jq}, acc[${i * tnq + jq}]);\n`;
      }
      body += '        }\n';
    }
    return `      for (var kq = 0u; kq < ${bkq}u; kq++) {\n${body}      }`;
  }
  for (const iq of range(tmq)) body += `        let a${iq} = As[kk * ${bmq}u + ${iq * t.wy}u + lid.y];\n`;
  body += `        ${bLoads('kk')}\n`;
  for (const iq of range(tmq)) {
    for (const s of range(4)) {
      for (const jq of range(tnq)) {
        const i = iq * 4 + s;
        body += `        acc[${i * tnq + jq}] = fma(vec4<f32>(a${iq}.${lanes[s]}), b${jq}, acc[${i * tnq + jq}]);\n`;
      }
    }
  }
  return `      for (var kk = 0u; kk < ${t.bk}u; kk++) {\n${body}      }`;
}

function store(v: MatmulVariant, t: MatmulTile): string {
  const tnq = t.tn / 4;
  let body = '';
  for (const iq of range(t.tm / 4)) {
    for (const s of range(4)) {
      const i = iq * 4 + s;
      body += `    { let r = row0 + ${iq * 4 * t.wy + s}u + lid.y * 4u;\n      if (r < M) {\n`;
      for (const jq of range(tnq)) {
        const c = `col0 + ${jq * 4 * t.wx}u + lid.x * 4u`;
        if (v.vecC) {
          const bias = v.bias ? ' + vec4<f32>(bias[c], bias[c + 1u], bias[c + 2u], bias[c + 3u])' : '';
          body += `        { let c = ${c}; if (c < N) { out[(cOff + r * N + c) / 4u] = acc[${i * tnq + jq}]${bias}; } }\n`;
        } else {
          body += `        { let c = ${c};\n`;
          for (const e of range(4)) {
            const bias = v.bias ? ` + bias[c + ${e}u]` : '';
            body += `          if (c + ${e}u < N) { out[cOff + r * N + c + ${e}u] = acc[${i * tnq + jq}].${lanes[e]}${bias}; }\n`;
          }
          body += '        }\n';
        }
      }
      body += '      }\n    }\n';
    }
  }
  return body;
}

/** The WGSL source of the tiled matmul for one variant (layout and traffic notes in matmul-wgsl.ts). */
export function tiledSource(v: MatmulVariant, t: MatmulTile): string {
  const bm = t.wy * t.tm, bn = t.wx * t.tn, threads = t.wx * t.wy;
  const a = stageA(v, bm, t.bk), b = stageB(v, bn, t.bk);
  if (t.tm % 4 || t.tn % 4 || t.bk % 4 || a.count % threads || b.count % threads) {
    throw new Error(`matmul tile ${JSON.stringify(t)}: blocks and slab must be multiples of 4 and stage evenly`);
  }
  const elem = (vec: boolean) => (vec ? 'vec4<f32>' : 'f32');
  const stage = (name: string, s: { count: number; body: string }) => `      for (var j = 0u; j < ${s.count / threads}u; j++) { // ${name}
        let idx = li + j * ${threads}u;
        ${s.body}
      }\n`;
  return /* wgsl */ `
// mnk: M, N, K, batch count; tiles: tilesM, tilesN, total tiles, unused.
${uniformsStruct(v.rank)}
@group(0) @binding(0) var<storage, read> in0: array<${elem(v.vecA)}>;
@group(0) @binding(1) var<storage, read> in1: array<${elem(v.vecB)}>;
${v.bias ? '@group(0) @binding(2) var<storage, read> bias: array<f32>;\n' : ''}@group(0) @binding(${v.bias ? 3 : 2}) var<storage, read_write> out: array<${elem(v.vecC)}>;
@group(0) @binding(${v.bias ? 4 : 3}) var<uniform> u: Uniforms;

var<workgroup> As: array<vec4<f32>, ${(bm * t.bk) / 4}>;
var<workgroup> Bs: array<vec4<f32>, ${(bn * t.bk) / 4}>;

@compute @workgroup_size(${t.wx}, ${t.wy}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = u.mnk.x; let N = u.mnk.y; let K = u.mnk.z;
  let tilesM = u.tiles.x; let tilesN = u.tiles.y; let total = u.tiles.z;
  let groups = nwg.x * nwg.y * nwg.z;
  for (var t = wid.x + nwg.x * (wid.y + nwg.y * wid.z); t < total; t += groups) {
    let tn = t % tilesN;
    let rest = t / tilesN;
    let tm = rest % tilesM;
    let batch = rest / tilesM;
    var bi = batch;
    var aOff = 0u; var bOff = 0u;
${decodeBatch(v.rank)}    let row0 = tm * ${bm}u; let col0 = tn * ${bn}u;
    var acc: array<vec4<f32>, ${(t.tm * t.tn) / 4}>;
    for (var k0 = 0u; k0 < K; k0 += ${t.bk}u) {
${stage('op(A) slab', a)}${stage('op(B) slab', b)}      workgroupBarrier();
${compute(v, t)}
      workgroupBarrier();
    }
    let cOff = batch * M * N;
${store(v, t)}  }
}
`;
}

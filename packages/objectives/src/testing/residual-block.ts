import { type Tensor, add, matmul, tanh, tensor } from '@rheo/tensor';

// A fixed residual block g(x) = W2 tanh(W1 x + b) (d = 4, hidden 8) shared by
// the log-det tests, with an independent float64 reference: its Jacobian
// J = W2 diag(1 − tanh²(W1 x + b)) W1 and log|det(I + J)| by pivoted LU.

export const D = 4, H = 8;

function lcg(count: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

/** Largest singular value of a rows×cols row-major matrix by power iteration on AᵀA. */
function spectralNorm(a: number[], rows: number, cols: number): number {
  let v = new Array<number>(cols).fill(1);
  let s = 0;
  for (let it = 0; it < 500; it++) {
    const u = Array.from({ length: rows }, (_, i) => v.reduce((acc, vj, j) => acc + a[i * cols + j]! * vj, 0));
    const w = Array.from({ length: cols }, (_, j) => u.reduce((acc, ui, i) => acc + a[i * cols + j]! * ui, 0));
    s = Math.sqrt(Math.hypot(...w));
    const nw = Math.hypot(...w);
    v = w.map((x) => x / nw);
  }
  return s;
}

export interface BlockParams {
  w1: number[]; // [H, D]
  b: number[]; // [H]
  w2: number[]; // [D, H]
}

/** Random weights scaled so ‖W2‖₂‖W1‖₂ = lip, a bound on Lip(g) since |tanh′| ≤ 1. */
export function makeBlock(lip: number, seed = 7): BlockParams {
  const w1 = lcg(H * D, seed), w2 = lcg(D * H, seed + 1), b = lcg(H, seed + 2).map((v) => 0.3 * v);
  const s1 = Math.sqrt(lip) / spectralNorm(w1, H, D), s2 = Math.sqrt(lip) / spectralNorm(w2, D, H);
  return { w1: w1.map((v) => v * s1), b, w2: w2.map((v) => v * s2) };
}

export type BlockTensors = { readonly w1: Tensor; readonly b: Tensor; readonly w2: Tensor };

export function blockTensors(p: BlockParams): BlockTensors {
  return { w1: tensor(p.w1, [H, D]), b: tensor(p.b, [H]), w2: tensor(p.w2, [D, H]) };
}

/** g on a batch [n, D], built from tensor ops. */
export function applyBlock(x: Tensor, p: BlockTensors): Tensor {
  return matmul(tanh(add(matmul(x, p.w1, { transposeB: true }), p.b)), p.w2, { transposeB: true });
}

/** g(x) for one point, float64. */
export function gRef(p: BlockParams, x: number[]): number[] {
  const h = Array.from({ length: H }, (_, i) => Math.tanh(x.reduce((a, xj, j) => a + p.w1[i * D + j]! * xj, p.b[i]!)));
  return Array.from({ length: D }, (_, i) => h.reduce((a, hj, j) => a + p.w2[i * H + j]! * hj, 0));
}

/** log|det A| of a dense n×n matrix by LU with partial pivoting, float64. */
export function logAbsDet(a: number[][]): number {
  const m = a.map((r) => [...r]);
  const n = m.length;
  let total = 0;
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[piv]![k]!)) piv = i;
    [m[k], m[piv]] = [m[piv]!, m[k]!];
    total += Math.log(Math.abs(m[k]![k]!));
    for (let i = k + 1; i < n; i++) {
      const f = m[i]![k]! / m[k]![k]!;
      for (let j = k; j < n; j++) m[i]![j]! -= f * m[k]![j]!;
    }
  }
  return total;
}

/** I + J(x) by central finite differences of gRef (h = 1e-6). */
export function jacobianFd(p: BlockParams, x: number[]): number[][] {
  const h = 1e-6;
  const cols = x.map((_, j) => {
    const up = [...x], down = [...x];
    up[j]! += h;
    down[j]! -= h;
    const gu = gRef(p, up), gd = gRef(p, down);
    return gu.map((v, i) => (v - gd[i]!) / (2 * h));
  });
  return x.map((_, i) => x.map((__, j) => (i === j ? 1 : 0) + cols[j]![i]!));
}

/** log det(I + J(x)) in float64 from the analytic Jacobian. */
export function logDetRef(p: BlockParams, x: number[]): number {
  const pre = Array.from({ length: H }, (_, i) => x.reduce((a, xj, j) => a + p.w1[i * D + j]! * xj, p.b[i]!));
  const s = pre.map((z) => 1 - Math.tanh(z) ** 2);
  const a = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (__, j) => {
    let v = i === j ? 1 : 0;
    for (let k = 0; k < H; k++) v += p.w2[i * H + k]! * s[k]! * p.w1[k * D + j]!;
    return v;
  }));
  return logAbsDet(a);
}

/** ∂ log det(I + J(x)) / ∂(w1, b, w2) by central differences of logDetRef, flattened in key order b, w1, w2. */
export function logDetParamGradFd(p: BlockParams, x: number[]): number[] {
  const h = 1e-6;
  const out: number[] = [];
  for (const name of ['b', 'w1', 'w2'] as const) {
    for (let i = 0; i < p[name].length; i++) {
      const up = { ...p, [name]: [...p[name]] }, down = { ...p, [name]: [...p[name]] };
      up[name][i]! += h;
      down[name][i]! -= h;
      out.push((logDetRef(up, x) - logDetRef(down, x)) / (2 * h));
    }
  }
  return out;
}

import { ArgumentError, Key, threefry2x32 } from '@rheo/tensor';

/** A 0/1 connectivity mask of shape [out, in], as nested rows. */
export type Mask = number[][];

/**
 * Options of `madeMasks`: the input order, hidden degrees (cyclic or drawn from a key), outputs
 * per input and blocks of inputs that share a degree (Germain et al. 2015, arXiv:1502.03509).
 */
export interface MadeMaskOptions {
  /**
   * Autoregressive order of the inputs: 'natural' (input j is the j-th
   * generated), 'reversed', or an array where order[j] is the 0-based
   * position of input j in the order (a permutation of 0..d−1).
   */
  readonly order?: 'natural' | 'reversed' | readonly number[];
  /** Hidden degrees: 'cycle' (deterministic, unit u gets (u mod (D−1)) + 1) or a key to draw them from. */
  readonly hiddenDegrees?: 'cycle' | Key;
  /** Outputs per input dimension k (e.g. 2 for a shift and a log-scale); default 1. */
  readonly outputsPerInput?: number;
  /**
   * Block size for a block autoregressive order: positions are grouped into
   * consecutive blocks of this size, and a unit of block b sees only inputs of
   * blocks before b. Default 1 (plain MADE).
   */
  readonly blockSize?: number;
}

/**
 * The binary masks of a MADE network, one per layer, with the degree of every input, hidden unit
 * and output: an output sees only inputs of lower degree (Germain et al. 2015, arXiv:1502.03509).
 */
export interface MadeMasks {
  /** One mask per layer, [out, in]: hidden masks then the output mask. */
  readonly masks: Mask[];
  /** Degree of each input (1..D, D = number of blocks). */
  readonly inputDegrees: number[];
  /** Degrees of each hidden layer's units. */
  readonly hiddenDegrees: number[][];
  /** Degree of each output: output c·d + j (parameter c of dimension j) has input j's degree. */
  readonly outputDegrees: number[];
}

function positions(d: number, order: MadeMaskOptions['order']): number[] {
  if (order === undefined || order === 'natural') return Array.from({ length: d }, (_, j) => j);
  if (order === 'reversed') return Array.from({ length: d }, (_, j) => d - 1 - j);
  if (!Array.isArray(order)) throw new ArgumentError(`madeMasks(order): expected 'natural', 'reversed' or a permutation array, received ${String(order)}`);
  const seen = new Set(order);
  if (order.length !== d || seen.size !== d || !order.every((p) => Number.isInteger(p) && p >= 0 && p < d)) {
    throw new ArgumentError(`madeMasks(order): expected a permutation of 0..${d - 1}, received [${order.join(', ')}]`);
  }
  return [...order];
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`madeMasks(${name}): expected a positive integer, received ${v}`);
}

/**
 * Draws an integer in [lo, hi] for unit u of layer l from a Threefry-2x32
 * block keyed by the key; counters (u, l) keep layers apart.
 */
function drawDegree(k: Key, layer: number, unit: number, lo: number, hi: number): number {
  const out = new Uint32Array(2);
  threefry2x32(k.k0, k.k1, unit, layer, out, 0);
  return lo + Math.floor((out[0]! / 2 ** 32) * (hi - lo + 1));
}

/**
 * MADE masks (Germain et al. 2015, arXiv:1502.03509). Inputs get degrees
 * m(j) = 1..D from the order, hidden units degrees in [1, D−1], outputs the
 * degree of the dimension they parametrise. A hidden connection is allowed
 * when m_out ≥ m_in, an output connection when m_out > m_in, so output i
 * depends only on inputs of smaller degree: the network is autoregressive.
 * With `blockSize` b > 1 degrees are block indices (D = ⌈d/b⌉), which gives
 * the block autoregressive structure of semi-autoregressive flows.
 */
export function madeMasks(inputDim: number, hiddenSizes: readonly number[], options: MadeMaskOptions = {}): MadeMasks {
  positiveInt('inputDim', inputDim);
  hiddenSizes.forEach((h, i) => positiveInt(`hiddenSizes[${i}]`, h));
  const { hiddenDegrees: hd = 'cycle', outputsPerInput = 1, blockSize = 1 } = options;
  positiveInt('outputsPerInput', outputsPerInput);
  positiveInt('blockSize', blockSize);
  if (hd !== 'cycle' && !(hd instanceof Key)) throw new ArgumentError(`madeMasks(hiddenDegrees): expected 'cycle' or a PRNG Key, received ${String(hd)}`);
  const pos = positions(inputDim, options.order);
  const inputDegrees = pos.map((p) => Math.floor(p / blockSize) + 1);
  const blocks = Math.ceil(inputDim / blockSize);
  // With one block nothing may see anything; degree 1 everywhere keeps every output mask empty.
  const maxHidden = Math.max(1, blocks - 1);
  const hiddenDegrees: number[][] = [];
  let prev = inputDegrees;
  hiddenSizes.forEach((size, l) => {
    // Germain et al. draw from [min previous degree, D−1] so no unit is dead.
    const lo = Math.min(Math.min(...prev), maxHidden);
    const degs = Array.from({ length: size }, (_, u) => (hd === 'cycle' ? (u % maxHidden) + 1 : drawDegree(hd, l, u, lo, maxHidden)));
    hiddenDegrees.push(degs);
    prev = degs;
  });
  const outputDegrees = Array.from({ length: outputsPerInput * inputDim }, (_, o) => inputDegrees[o % inputDim]!);
  const masks: Mask[] = [];
  let inDeg = inputDegrees;
  for (const degs of hiddenDegrees) {
    masks.push(degs.map((mo) => inDeg.map((mi) => (mo >= mi ? 1 : 0))));
    inDeg = degs;
  }
  masks.push(outputDegrees.map((mo) => inDeg.map((mi) => (mo > mi ? 1 : 0))));
  return { masks, inputDegrees, hiddenDegrees, outputDegrees };
}

/** Block-MADE masks: `madeMasks` with dimensions grouped into consecutive blocks of `blockSize` along the order. */
export function blockMadeMasks(
  inputDim: number,
  hiddenSizes: readonly number[],
  blockSize: number,
  options: Omit<MadeMaskOptions, 'blockSize'> = {},
): MadeMasks {
  return madeMasks(inputDim, hiddenSizes, { ...options, blockSize });
}

import { join } from 'node:path';
import { dequantize, logitTransform, parseIdx, shuffledIndices, type Dataset } from '@rheo/data';
import { gunzipData, readDataFile } from '@rheo/data/node';
import { ArgumentError, fold, type Key } from '@rheo/tensor';
import { readDigits } from '../digits.js';

/** Integer pixel rows (values 0 … levels − 1) with their class labels. */
export interface LabelledImages {
  readonly name: string;
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
  readonly rows: number;
  /** Pixels per image. */
  readonly dim: number;
  readonly levels: number;
  /** Logit margin α for this set. */
  readonly alpha: number;
  /** How the images were made, for the report. */
  readonly description: string;
}

/** The 8×8 UCI digits (17 grey levels) with their labels. */
export function labelledDigits(dataDir: string): LabelledImages {
  const d = readDigits(join(dataDir, 'digits', 'digits.csv.gz'));
  return {
    name: 'digits', pixels: Float32Array.from(d.x, (v) => Math.round(v * 16)), labels: d.labels, rows: d.n, dim: 64, levels: 17, alpha: 0.05,
    description: '8×8 UCI digits, 17 grey levels',
  };
}

function readIdxFile(dir: string, file: string): ReturnType<typeof parseIdx> {
  const path = join(dir, file);
  return parseIdx(gunzipData(readDataFile(path, 'an MNIST file'), path), file);
}

/**
 * The 10,000 MNIST t10k images with labels, average-pooled `pool`×`pool`
 * (28/pool pixels a side) and floored back to 256 integer levels.
 */
export function labelledMnist(dataDir: string, pool: number): LabelledImages {
  if (![1, 2, 4].includes(pool)) throw new ArgumentError(`labelledMnist(pool): received ${pool}; expected 1, 2 or 4`);
  const dir = join(dataDir, 'mnist');
  const images = readIdxFile(dir, 't10k-images-idx3-ubyte.gz');
  const labels = readIdxFile(dir, 't10k-labels-idx1-ubyte.gz');
  const n = images.shape[0]!;
  if (labels.shape[0] !== n) throw new ArgumentError(`labelledMnist: ${labels.shape[0]} labels for ${n} images; expected one each`);
  const side = 28 / pool;
  const pixels = new Float32Array(n * side * side);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        let s = 0;
        for (let a = 0; a < pool; a++) for (let b = 0; b < pool; b++) s += images.data[i * 784 + (r * pool + a) * 28 + c * pool + b]!;
        pixels[i * side * side + r * side + c] = Math.floor(s / (pool * pool));
      }
    }
  }
  return {
    name: pool === 1 ? 'mnist' : `mnist-${side}x${side}`, pixels, labels: Int32Array.from(labels.data), rows: n, dim: side * side, levels: 256, alpha: 0.05,
    description: `MNIST t10k (10,000 images) ${pool === 1 ? 'at 28×28' : `average-pooled ${pool}×${pool} to ${side}×${side}, floored to 256 levels`}`,
  };
}

/** A labelled split: the data set of dequantised, logit-transformed rows and the labels of its train and test rows. */
export interface LabelledSplit {
  readonly data: Dataset;
  readonly trainLabels: Int32Array;
  readonly testLabels: Int32Array;
}

/**
 * Shuffles with the key, holds out the last `testFraction` of the rows for
 * testing, dequantises x = (v + u)/L (u ~ U(0, 1), one draw per pixel, Theis
 * et al. 2016, arXiv:1511.01844) and applies y = logit(α + (1 − 2α)x); the
 * transforms are recorded so bits/dim can be reported for the discrete pixels.
 */
export function labelledSplit(img: LabelledImages, k: Key, testFraction: number): LabelledSplit {
  const order = shuffledIndices(fold(k, 1), img.rows);
  const d = img.dim;
  const shuffled = new Float32Array(img.rows * d);
  const labels = new Int32Array(img.rows);
  order.forEach((src, i) => {
    shuffled.set(img.pixels.subarray(src * d, (src + 1) * d), i * d);
    labels[i] = img.labels[src]!;
  });
  const x = dequantize(shuffled, img.levels, fold(k, 2));
  logitTransform(x, d, img.alpha);
  const cut = img.rows - Math.round(img.rows * testFraction);
  return {
    data: {
      name: img.name, dim: d,
      train: { data: x.subarray(0, cut * d), rows: cut, cols: d },
      test: { data: x.subarray(cut * d), rows: img.rows - cut, cols: d },
      transforms: [{ kind: 'shuffle' }, { kind: 'dequantize', levels: img.levels }, { kind: 'logit', alpha: img.alpha }],
    },
    trainLabels: labels.subarray(0, cut),
    testLabels: labels.subarray(cut),
  };
}

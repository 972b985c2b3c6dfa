import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DIGITS_LOGIT_ALPHA, MNIST_LOGIT_ALPHA, TOY_2D, checkFiniteMatrix, logitTransform, matrix, type Dataset, type Matrix, type Toy2dName,
} from '@rheo/data';
import { loadDigits, loadMiniboone, loadMnist, loadNpyFolder, loadPower } from '@rheo/data/node';
import { ArgumentError, fold, NonFiniteError, type Key } from '@rheo/tensor';
import { identifyDataset } from './dataset-identity.js';

export const TOY_NAMES = Object.keys(TOY_2D) as Toy2dName[];
export const TABULAR_NAMES = ['power', 'miniboone'] as const;
export const IMAGE_NAMES = ['digits', 'mnist'] as const;

function isToy(name: string): name is Toy2dName {
  return (TOY_NAMES as string[]).includes(name);
}

/** A toy 2-D data set: `train` rows for training, independent draws of `test` rows for evaluation and as many for validation. */
export async function toyDataset(name: Toy2dName, k: Key, train: number, test: number): Promise<Dataset> {
  const draw = async (kk: Key, n: number): Promise<Matrix> => {
    const t = TOY_2D[name](kk, n);
    const m = matrix(new Float32Array(await t.data()), n, 2);
    t.dispose();
    return m;
  };
  return { name, train: await draw(fold(k, 1), train), val: await draw(fold(k, 3), test), test: await draw(fold(k, 2), test), dim: 2, transforms: [] };
}

function folder(dataDir: string, sub: string): string {
  const dir = join(dataDir, sub);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ArgumentError(`data directory ${JSON.stringify(dataDir)}: has no folder ${JSON.stringify(sub)}; expected the shared data (set --data-dir or RHEO_DATA_DIR)`);
  }
  return dir;
}

/**
 * Loads a data set by name: a toy name, power, miniboone, digits, mnist, or
 * `npy:DIR` (train.npy/test.npy, used as they are). Image sets are
 * dequantised to [0, 1) (pixel units / levels), then logit-transformed when
 * `image.logit` is set.
 */
export async function loadDataset(name: string, dataDir: string, k: Key, toySize: { train: number; test: number }, image: { logit?: boolean } = {}): Promise<Dataset> {
  try {
    return await loadDatasetOrThrow(name, dataDir, k, toySize, image);
  } catch (err) {
    // A NaN, an infinity or a value beyond float32 in a data file is bad input (exit 2), not a failed run.
    if (err instanceof NonFiniteError) throw new ArgumentError(err.message);
    throw err;
  }
}

async function loadDatasetOrThrow(name: string, dataDir: string, k: Key, toySize: { train: number; test: number }, image: { logit?: boolean }): Promise<Dataset> {
  if (isToy(name)) return toyDataset(name, k, toySize.train, toySize.test);
  if (name.startsWith('npy:')) {
    const dir = resolve(name.slice(4));
    if (!existsSync(dir)) throw new ArgumentError(`--dataset ${name}: folder ${JSON.stringify(dir)} does not exist; expected a folder with train.npy and test.npy`);
    const d = loadNpyFolder(dir);
    checkFiniteMatrix(d.train, `${dir}/train.npy`);
    return identifyDataset(d, dir);
  }
  switch (name) {
    case 'power': return loadPower(folder(dataDir, 'power'), k);
    case 'miniboone': return loadMiniboone(folder(dataDir, 'miniboone'));
    case 'digits': return loadDigits(folder(dataDir, 'digits'), k, { logit: image.logit ?? false });
    case 'mnist': return loadMnist(folder(dataDir, 'mnist'), k, { logit: image.logit ?? false });
    default:
      throw new ArgumentError(`--dataset: received ${JSON.stringify(name)}; expected one of ${[...TOY_NAMES, ...TABULAR_NAMES, ...IMAGE_NAMES].join(', ')} or npy:DIR`);
  }
}

/**
 * The same dequantised image data with y = logit(α + (1 − 2α)x) applied, α
 * the loader's default for the set: the rows and noise of `d` without reading
 * the files again (what loading with `logit: true` and the same key gives).
 */
export function withLogit(d: Dataset): Dataset {
  const alpha = d.name === 'mnist' ? MNIST_LOGIT_ALPHA : DIGITS_LOGIT_ALPHA;
  const apply = (m: Matrix): Matrix => {
    const data = Float32Array.from(m.data);
    logitTransform(data, m.cols, alpha);
    return { ...m, data };
  };
  return { ...d, train: apply(d.train), ...(d.val ? { val: apply(d.val) } : {}), test: apply(d.test), transforms: [...d.transforms, { kind: 'logit', alpha }] };
}

/** Whether a --dataset value names a set a suite can use ('toy' takes 2-D sets, 'tabular' the rest, 'image' 28² or 8² images). */
export function datasetKind(name: string): 'toy' | 'tabular' | 'image' | 'unknown' {
  if (isToy(name)) return 'toy';
  if ((TABULAR_NAMES as readonly string[]).includes(name) || name.startsWith('npy:')) return 'tabular';
  if ((IMAGE_NAMES as readonly string[]).includes(name)) return 'image';
  return 'unknown';
}

/** Samples mapped back to the data's original units: standardisation undone, logit undone where applied. */
export function toOriginalUnits(d: Dataset, x: Float32Array): Float32Array {
  const out = Float32Array.from(x);
  for (const t of [...d.transforms].reverse()) {
    if (t.kind === 'standardize') {
      for (let i = 0; i < out.length; i++) out[i] = out[i]! * t.std[i % d.dim]! + t.mean[i % d.dim]!;
    } else if (t.kind === 'logit') {
      // y = logit(α + (1 − 2α)x)  ⇒  x = (σ(y) − α) / (1 − 2α).
      for (let i = 0; i < out.length; i++) out[i] = (1 / (1 + Math.exp(-out[i]!)) - t.alpha) / (1 - 2 * t.alpha);
    }
  }
  return out;
}

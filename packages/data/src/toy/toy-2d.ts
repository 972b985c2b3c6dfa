import type { Key, Tensor } from '@rheo/tensor';
import { checkerboard } from './checkerboard.js';
import { circles } from './circles.js';
import { eightGaussians } from './eight-gaussians.js';
import { pinwheel } from './pinwheel.js';
import { rings } from './rings.js';
import { swissRoll } from './swiss-roll.js';
import { twoMoons } from './two-moons.js';
import { twoSpirals } from './two-spirals.js';

/** The toy 2-D densities by their FFJORD names, each (key, n) → float32 [n, 2]. */
export const TOY_2D: Readonly<Record<'8gaussians' | 'checkerboard' | 'moons' | '2spirals' | 'pinwheel' | 'rings' | 'circles' | 'swissroll', (k: Key, n: number) => Tensor>> = {
  '8gaussians': eightGaussians,
  checkerboard,
  moons: twoMoons,
  '2spirals': twoSpirals,
  pinwheel,
  rings,
  circles,
  swissroll: swissRoll,
};

/**
 * A name of `TOY_2D`: `8gaussians`, `checkerboard`, `moons`, `2spirals`, `pinwheel`, `rings`,
 * `circles` or `swissroll`.
 */
export type Toy2dName = keyof typeof TOY_2D;

import type { AnyPrimitive } from '../primitive.js';
import { absPrimitive } from './abs.js';
import { addPrimitive } from './add.js';
import { broadcastToPrimitive } from './broadcast-to.js';
import { castPrimitive } from './cast.js';
import { concatPrimitive } from './concat.js';
import { cumsumPrimitive } from './cumsum.js';
import { cosPrimitive } from './cos.js';
import { divPrimitive } from './div.js';
import { equalPrimitive } from './equal.js';
import { expPrimitive } from './exp.js';
import { floorPrimitive } from './floor.js';
import { gatherPrimitive } from './gather.js';
import { lessPrimitive } from './less.js';
import { logPrimitive } from './log.js';
import { log1pPrimitive } from './log1p.js';
import { matmulPrimitive } from './matmul.js';
import { matmulBiasPrimitive } from './matmul-bias.js';
import { maxPrimitive } from './max.js';
import { maximumPrimitive } from './maximum.js';
import { mulPrimitive } from './mul.js';
import { negPrimitive } from './neg.js';
import { padPrimitive } from './pad.js';
import { permutePrimitive } from './permute.js';
import { randomUniformPrimitive } from './random-uniform.js';
import { reshapePrimitive } from './reshape.js';
import { scatterAddPrimitive } from './scatter-add.js';
import { scatterAddAlongAxisPrimitive } from './scatter-add-along-axis.js';
import { searchsortedPrimitive } from './searchsorted.js';
import { sigmoidPrimitive } from './sigmoid.js';
import { signPrimitive } from './sign.js';
import { sinPrimitive } from './sin.js';
import { slicePrimitive } from './slice.js';
import { sqrtPrimitive } from './sqrt.js';
import { subPrimitive } from './sub.js';
import { takeAlongAxisPrimitive } from './take-along-axis.js';
import { sumPrimitive } from './sum.js';
import { tanhPrimitive } from './tanh.js';
import { wherePrimitive } from './where.js';

/** The primitives: the whole list a backend implements. */
export const PRIMITIVES: readonly AnyPrimitive[] = [
  // elementwise unary
  negPrimitive, expPrimitive, logPrimitive, log1pPrimitive, sqrtPrimitive, sinPrimitive, cosPrimitive,
  tanhPrimitive, sigmoidPrimitive, absPrimitive, signPrimitive, floorPrimitive,
  // elementwise binary, compare, select
  addPrimitive, subPrimitive, mulPrimitive, divPrimitive, maximumPrimitive, lessPrimitive, equalPrimitive, wherePrimitive,
  // reductions and contraction
  sumPrimitive, maxPrimitive, matmulPrimitive, matmulBiasPrimitive,
  // scans and searches
  cumsumPrimitive, searchsortedPrimitive,
  // movement and type
  reshapePrimitive, broadcastToPrimitive, permutePrimitive, slicePrimitive, padPrimitive, concatPrimitive,
  gatherPrimitive, scatterAddPrimitive, takeAlongAxisPrimitive, scatterAddAlongAxisPrimitive, castPrimitive,
  // randomness
  randomUniformPrimitive,
];

import { ArgumentError, Key } from '@rheo/tensor';

/** The key, or an error naming the argument: randomness is explicit, so a missing key is a mistake. */
export function checkKey(k: unknown, arg: string): Key {
  if (!(k instanceof Key)) throw new ArgumentError(`${arg}: received ${k === undefined ? 'undefined' : String(k)}; expected a PRNG Key (key(seed), split or fold)`);
  return k;
}

import { compose } from '../compose.js';
import { reshapeEvent } from '../reshape-event.js';
import type { AnyTransform } from '../transform.js';

/**
 * A layer on events of any shape (e.g. [c, h, w] images) seen through flat
 * [n, d] batches, as the brute-force Jacobian needs: reshape in, the layer,
 * reshape out.
 */
export function flatView(eventShape: readonly number[], layer: AnyTransform): ReturnType<typeof compose> {
  const d = eventShape.reduce((a, b) => a * b, 1);
  return compose([reshapeEvent([d], eventShape), layer, reshapeEvent(eventShape, [d])]);
}

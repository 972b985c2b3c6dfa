import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArgumentError } from '@rheo/tensor';
import { encodePngCompressed } from './encode-png-compressed.js';
import type { GrayImage } from './gray-image.js';
import { makeDirs } from './make-dirs.js';

/**
 * Writes an SVG document (a string) or a grayscale image (as a compressed
 * PNG) to `file`, creating its directory. The kind follows the extension.
 * A folder that cannot be created or a file that cannot be written is an
 * ArgumentError naming the path and the OS error code.
 */
export function writePlot(file: string, plot: string | GrayImage): void {
  const svg = typeof plot === 'string';
  if (svg !== file.toLowerCase().endsWith('.svg') || (!svg && !file.toLowerCase().endsWith('.png'))) {
    throw new ArgumentError(`writePlot(file): expected a .svg name for an SVG string or a .png name for an image, received ${JSON.stringify(file)} for ${svg ? 'an SVG string' : 'an image'}`);
  }
  makeDirs(dirname(file), 'writePlot(file)');
  try {
    writeFileSync(file, svg ? plot : encodePngCompressed(plot));
  } catch (err) {
    throw new ArgumentError(`writePlot(file): cannot write ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

import { ArgumentError, ShapeError } from '@rheo/tensor';

/** An 8-bit grayscale raster, row-major, 0 = black, 255 = white. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Checks that an image's dimensions are positive integers matching its data. */
export function checkGrayImage(image: GrayImage, arg: string): GrayImage {
  const { width, height } = image;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new ArgumentError(`${arg}: expected positive integer width and height, received ${width}×${height}`);
  }
  if (image.data.length !== width * height) {
    throw new ShapeError(`${arg}.data: expected ${width}·${height} = ${width * height} bytes, received ${image.data.length}`);
  }
  return image;
}

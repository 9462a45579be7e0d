import sharp, { type Sharp } from 'sharp';

/** [height, width, channels] an image is converted to (channels 1 or 3). */
export type ImageShape = readonly [number, number, number];

/**
 * Bumped whenever decoding changes what it produces (it is part of the decode cache's key):
 * 2 = EXIF orientation applied, 8-bit output.
 */
export const DECODER_VERSION = 2;

/**
 * The one conversion every image goes through: EXIF orientation applied (`rotate()` without an
 * angle), alpha flattened onto black, stretched to the target size, converted to grey (1
 * channel) or sRGB (3 channels: grey images are replicated), as raw 8-bit values.
 */
async function toShape(img: Sharp, shape: ImageShape): Promise<Uint8Array> {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new Error(`images can have 1 or 3 channels, not ${c}`);
  let out = img.rotate().flatten({ background: '#000000' }).resize(w, h, { fit: 'fill' });
  out = c === 1 ? out.grayscale() : out.toColourspace('srgb');
  const { data, info } = await out.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== c || info.width !== w || info.height !== h) {
    throw new Error(
      `decoded to ${info.width}×${info.height}×${info.channels}, expected ${w}×${h}×${c}`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Decodes one image file to `shape` as 8-bit values in [0, 255] (throws when unreadable). */
export const decodeImage = (file: string, shape: ImageShape): Promise<Uint8Array> =>
  toShape(sharp(file, { failOn: 'error' }), shape);

/** Converts raw 8-bit pixels of shape `from` to `to` (resize, grey ↔ RGB). */
export const convertPixels = (
  pixels: Uint8Array,
  from: ImageShape,
  to: ImageShape,
): Promise<Uint8Array> =>
  toShape(
    sharp(pixels, { raw: { height: from[0], width: from[1], channels: from[2] as 1 | 3 } }),
    to,
  );

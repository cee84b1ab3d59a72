import type sharpType from 'sharp';

/** Mailpit's thumbnail size. */
export const THUMB_WIDTH = 180;
export const THUMB_HEIGHT = 120;

/**
 * Decompression bombs: a 40-megapixel limit (a 50 MB PNG can claim billions of pixels). sharp checks
 * it from the header before decoding, and refuses the image.
 */
const MAX_INPUT_PIXELS = 40_000_000;
/**
 * Image parts larger than this get the blank thumbnail without being decoded: under the pixel limit
 * the cost still grows with the bytes (a 40 MB progressive JPEG is seconds of one of our two cores),
 * and a 180x120 preview is not worth that. Real mail images are well under it.
 */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Raster types we decode. SVG is left out: it is a document that can reference other resources. */
const RASTER = /^image\/(png|jpe?g|gif|webp|avif|tiff|bmp)$/i;

let loading: Promise<typeof sharpType> | undefined;

/**
 * sharp is loaded with the first thumbnail, not at start: libvips and its libraries are about 25 MB of
 * resident memory that a Pigeonhole nobody opens an image in never needs (measured by test/bench).
 */
function loadSharp(): Promise<typeof sharpType> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    // Two cores are shared with SMTP and HTTP: one libvips thread per thumbnail is enough.
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  });
  return loading;
}

let blank: Promise<Buffer> | undefined;

/** A plain white 180x120 JPEG: what Mailpit answers for a part that is not an image. */
function blankThumbnail(): Promise<Buffer> {
  blank ??= loadSharp().then((sharp) =>
    sharp({
      create: { width: THUMB_WIDTH, height: THUMB_HEIGHT, channels: 3, background: { r: 255, g: 255, b: 255 } },
    })
      .jpeg()
      .toBuffer(),
  );
  return blank;
}

/**
 * A 180x120 JPEG thumbnail of an image part, as Mailpit makes them: larger images are scaled and
 * cropped to fill the box, smaller ones are centred on white padding. Anything that is not a raster
 * image, or fails to decode, gives the blank image.
 */
export async function thumbnail(content: Buffer, contentType: string): Promise<Buffer> {
  if (!RASTER.test(contentType.split(';')[0]!.trim()) || content.length > MAX_INPUT_BYTES) return blankThumbnail();
  try {
    const sharp = await loadSharp();
    const image = sharp(content, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    const { width = 0, height = 0 } = await image.metadata();
    if (width >= THUMB_WIDTH && height >= THUMB_HEIGHT) {
      return await image
        .resize(THUMB_WIDTH, THUMB_HEIGHT, { fit: 'cover' })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 80 })
        .toBuffer();
    }
    const small = await image
      .resize(THUMB_WIDTH, THUMB_HEIGHT, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .png()
      .toBuffer();
    return await sharp({
      create: { width: THUMB_WIDTH, height: THUMB_HEIGHT, channels: 3, background: { r: 255, g: 255, b: 255 } },
    })
      .composite([{ input: small, gravity: 'centre' }])
      .jpeg({ quality: 80 })
      .toBuffer();
  } catch {
    return blankThumbnail();
  }
}

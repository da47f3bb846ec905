import sharp from 'sharp';
import { AppError } from '../../http/errors';

export type ImageType = 'jpeg' | 'png' | 'webp';

/** HEIF brands of HEVC-coded images (iPhone photos). AVIF is HEIF too, but with its own brands. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/**
 * What the bytes are, from their first bytes alone: the file name and the part's Content-Type are
 * the client's word and are ignored. Returns 'heic' so it can be refused with its own message.
 */
export function sniffImage(buf: Buffer): ImageType | 'heic' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (
    buf.length >= 8 &&
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  if (
    buf.length >= 12 &&
    buf.toString('latin1', 4, 8) === 'ftyp' &&
    HEIC_BRANDS.has(buf.toString('latin1', 8, 12))
  )
    return 'heic';
  return null;
}

export interface Processed {
  image: { data: Buffer; width: number; height: number };
  thumb: { data: Buffer; width: number; height: number };
  contentType: 'image/jpeg';
}

/** Longest side kept: plenty for a phone screen and a merchant's zoom, far less than a camera's. */
const MAX_EDGE = 2048;
const THUMB_EDGE = 320;

export const tooManyPixels = (max: number) =>
  new AppError(
    413,
    'UPLOAD_TOO_MANY_PIXELS',
    `The image is too large in pixels (at most ${Math.floor(max / 1_000_000)} megapixels)`,
  );
const corrupt = () =>
  new AppError(400, 'UPLOAD_IMAGE_CORRUPT', 'The image could not be read: it is damaged or incomplete');

/**
 * Decodes and re-encodes: what is stored is pixels we wrote, never the bytes as sent. So EXIF (GPS
 * position, camera serial), ICC tricks and anything appended after the image are gone; the
 * orientation is applied to the pixels first, since the tag that carried it is dropped.
 */
export async function processImage(
  buf: Buffer,
  type: ImageType,
  opts: { maxPixels: number },
): Promise<Processed> {
  // The header is read before any pixel: a canvas larger than allowed is refused without decoding.
  const input = { limitInputPixels: opts.maxPixels, failOn: 'warning' as const, sequentialRead: true };
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(buf, input).metadata();
  } catch (err) {
    throw readFailure(err, opts.maxPixels);
  }
  // sharp detects the format from the bytes as well; a disagreement means a crafted file.
  if (meta.format !== type || !meta.width || !meta.height) throw corrupt();
  if (meta.width * meta.height > opts.maxPixels) throw tooManyPixels(opts.maxPixels);

  try {
    const base = sharp(buf, input).autoOrient();
    const encode = (edge: number, quality: number) =>
      base
        .clone()
        .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
        // JPEG has no transparency: a screenshot's transparent parts become white, not black.
        .flatten({ background: '#ffffff' })
        .jpeg({ quality, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
    const [image, thumb] = await Promise.all([encode(MAX_EDGE, 82), encode(THUMB_EDGE, 70)]);
    return {
      image: { data: image.data, width: image.info.width, height: image.info.height },
      thumb: { data: thumb.data, width: thumb.info.width, height: thumb.info.height },
      contentType: 'image/jpeg',
    };
  } catch (err) {
    throw readFailure(err, opts.maxPixels);
  }
}

/** libvips says why it stopped only in words; a pixel limit is the client's too-large image. */
function readFailure(err: unknown, maxPixels: number): AppError {
  return /pixel limit/i.test((err as Error).message) ? tooManyPixels(maxPixels) : corrupt();
}

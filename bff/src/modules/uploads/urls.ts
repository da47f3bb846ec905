import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { ObjectStore } from './store';
import type { uploads } from './tables';

type UploadRow = typeof uploads.$inferSelect;
export type Variant = 'image' | 'thumb';

export interface ImageUrls {
  url: string;
  thumbUrl: string;
  /** null: a public URL that does not expire. */
  expiresAt: Date | null;
}

/**
 * Hands out the URLs an image is fetched from. A signed URL is the capability: it is issued only
 * by code that has already checked the viewer may see the thing the image belongs to (the
 * refund's views), and the serving route checks nothing but the signature and the time.
 */
export interface UploadUrls {
  forRow(row: UploadRow): Promise<ImageUrls>;
  /** Whether `sig` is ours for this id, variant and expiry (the time is checked separately). */
  verify(id: string, variant: Variant, exp: number, sig: string): boolean;
  now(): Date;
}

/** Expiries are rounded up to this, so one page shown twice asks for the same URLs (cacheable). */
const BUCKET_SECONDS = 300;

export function signingKey(config: Pick<Config, 'UPLOAD_URL_SECRET' | 'JWT_SECRET'>): Buffer {
  // Derived, not reused: a signed image URL can never pass for a token or the other way round.
  return createHmac('sha256', config.UPLOAD_URL_SECRET ?? config.JWT_SECRET)
    .update('linli/upload-url/v1')
    .digest();
}

export function createUploadUrls(deps: { config: Config; clock: Clock }, store: ObjectStore): UploadUrls {
  const key = signingKey(deps.config);
  const sign = (id: string, variant: Variant, exp: number) =>
    createHmac('sha256', key).update(`${id}.${variant}.${exp}`).digest('base64url');
  const path = (id: string, variant: Variant) => `/v1/uploads/${id}/file?variant=${variant}`;
  // The deps object is read at every call: tests swap the clock after the app is built.
  const now = () => deps.clock.now();

  return {
    now,
    async forRow(row) {
      if (row.visibility === 'public' && row.attachedId)
        return { url: path(row.id, 'image'), thumbUrl: path(row.id, 'thumb'), expiresAt: null };
      const nowSec = Math.floor(now().getTime() / 1000);
      const exp = Math.ceil((nowSec + deps.config.UPLOAD_URL_TTL_SECONDS) / BUCKET_SECONDS) * BUCKET_SECONDS;
      const expiresAt = new Date(exp * 1000);
      if (store.presign) {
        // Signed at the start of the bucket for the same reason: equal URLs within it.
        const signedAt = new Date(Math.floor(nowSec / BUCKET_SECONDS) * BUCKET_SECONDS * 1000);
        const [url, thumbUrl] = await Promise.all([
          store.presign(row.imageKey, expiresAt, signedAt),
          store.presign(row.thumbKey, expiresAt, signedAt),
        ]);
        return { url, thumbUrl, expiresAt };
      }
      const signed = (v: Variant) => `${path(row.id, v)}&exp=${exp}&sig=${sign(row.id, v, exp)}`;
      return { url: signed('image'), thumbUrl: signed('thumb'), expiresAt };
    },
    verify(id, variant, exp, sig) {
      const want = Buffer.from(sign(id, variant, exp));
      const got = Buffer.from(sig);
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}

/**
 * The URLs of the app answering the current request. Views of other modules (a refund's photos in
 * an order) are built from a db handle alone, deep below their routes; the uploads module binds
 * its signer to each request instead of every view's caller threading the store through.
 */
const scope = new AsyncLocalStorage<UploadUrls>();

export function runWithUploadUrls<T>(urls: UploadUrls, fn: () => T): T {
  return scope.run(urls, fn);
}

export function currentUploadUrls(): UploadUrls {
  const urls = scope.getStore();
  if (!urls)
    throw new Error(
      'image URLs are signed while answering a request; outside one, wrap the call in runWithUploadUrls',
    );
  return urls;
}

import { z } from 'zod';
import { Id } from './common';

/**
 * What an upload is for decides who may see it, so the client names the purpose and never the
 * visibility: a resident cannot make a refund photo public by asking. Private uploads are served
 * only through short-lived signed URLs; public ones (neighbor posts, next) through plain URLs once
 * attached to something public.
 */
export const UPLOAD_PURPOSES = {
  refund: { visibility: 'private' },
  post: { visibility: 'public' },
  /** A caregiver's photo of a home visit: seen by the elder, consented family, provider and staff. */
  care_visit: { visibility: 'private' },
  /** A community notice's images (通知公告): public like the notice. */
  notice: { visibility: 'public' },
  /** A resident request's photos (and its resolution's): seen by the resident, the handler and staff. */
  request: { visibility: 'private' },
  /** A product's pictures in the market: public like the catalogue, cached by browsers and CDNs. */
  product: { visibility: 'public' },
} as const satisfies Record<string, { visibility: 'public' | 'private' }>;
export type UploadPurpose = keyof typeof UPLOAD_PURPOSES;
export const UPLOAD_PURPOSE_VALUES = Object.keys(UPLOAD_PURPOSES) as [UploadPurpose, ...UploadPurpose[]];
export const UPLOAD_VISIBILITIES = ['public', 'private'] as const;
export type UploadVisibility = (typeof UPLOAD_VISIBILITIES)[number];

/** How many files one request may carry (the WeChat picker's own maximum). */
export const MAX_FILES_PER_UPLOAD = 9;

/** The query of `POST /v1/uploads`; the files travel as multipart parts named `file`. */
export const UploadQuery = z.object({ purpose: z.enum(UPLOAD_PURPOSE_VALUES) });

export const Upload = z.object({
  id: Id,
  purpose: z.enum(UPLOAD_PURPOSE_VALUES),
  visibility: z.enum(UPLOAD_VISIBILITIES),
  /** What the image was re-encoded to (never the uploaded bytes as sent). */
  contentType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  /** Relative to the API origin for the built-in store, absolute for object storage. */
  url: z.string(),
  thumbUrl: z.string(),
  /** When the URLs stop working (signed ones); null for public URLs that do not expire. */
  expiresAt: z.string().nullable(),
  attached: z.boolean(),
  createdAt: z.string(),
});
export type Upload = z.infer<typeof Upload>;

export const UploadList = z.object({ items: z.array(Upload) });
export type UploadList = z.infer<typeof UploadList>;

/** An image as another resource shows it (a refund's photos): just the URLs. */
export const ImageRef = z.object({
  id: Id,
  url: z.string(),
  thumbUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});
export type ImageRef = z.infer<typeof ImageRef>;

/** The serving route's signature, checked before anything is read. */
export const UploadFileQuery = z.object({
  variant: z.enum(['image', 'thumb']).default('image'),
  exp: z.coerce.number().int().positive().optional(),
  sig: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a signature')
    .optional(),
});

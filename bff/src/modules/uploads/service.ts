import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type ImageRef, UPLOAD_PURPOSES, type Upload, type UploadPurpose } from 'shared';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../access/actor';
import type { Db, DbOrTx } from '../../db/client';
import { AppError, conflict, notFound } from '../../http/errors';
import { audit } from '../audit';
import { type ImageType, type Processed, processImage, sniffImage } from './images';
import type { ObjectStore } from './store';
import { uploads } from './tables';
import { currentUploadUrls, type UploadUrls, type Variant } from './urls';

export type UploadRow = typeof uploads.$inferSelect;

export interface UploadDeps {
  db: Db;
  store: ObjectStore;
  urls: UploadUrls;
  maxPixels: number;
}

/**
 * The thing an upload belongs to: its kind, which is also the purpose the upload was made for (a
 * post's photo cannot become a refund's), and its id.
 */
export interface Attachment {
  type: UploadPurpose;
  id: string;
}

const ACCEPTED = 'JPEG, PNG or WebP';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One file of a request, checked and re-encoded. Runs as each part arrives, so the raw bytes of
 * nine files are never held at once, and before anything is stored, so one bad file stores nothing.
 */
export async function prepareImage(deps: Pick<UploadDeps, 'maxPixels'>, data: Buffer): Promise<Processed> {
  const type = sniffImage(data);
  if (type === 'heic')
    throw new AppError(
      415,
      'UPLOAD_HEIC_UNSUPPORTED',
      `HEIC photos cannot be read here yet; send ${ACCEPTED} (choose "Most Compatible" in the camera settings)`,
    );
  if (!type) throw new AppError(415, 'UPLOAD_TYPE_UNSUPPORTED', `Only images can be uploaded: ${ACCEPTED}`);
  return processImage(data, type satisfies ImageType, { maxPixels: deps.maxPixels });
}

function viewOf(row: UploadRow, urls: Awaited<ReturnType<UploadUrls['forRow']>>): Upload {
  return {
    id: row.id,
    purpose: row.purpose,
    visibility: row.visibility,
    contentType: row.contentType,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    url: urls.url,
    thumbUrl: urls.thumbUrl,
    expiresAt: urls.expiresAt?.toISOString() ?? null,
    attached: row.attachedId !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Stores prepared images for their owner (the person the request acts for, so a family member's
 * upload for an elder is the elder's to attach). The bytes are written inside the transaction that
 * inserts the rows: a row never exists without its bytes, and a failure removes what was written.
 */
export async function saveUploads(
  deps: UploadDeps,
  actor: Actor,
  purpose: UploadPurpose,
  images: Processed[],
): Promise<Upload[]> {
  const { visibility } = UPLOAD_PURPOSES[purpose];
  const written: string[] = [];
  try {
    const rows = await deps.db.transaction(async (tx) => {
      const out: UploadRow[] = [];
      for (const img of images) {
        const id = uuidv7();
        const imageKey = `${id}/image.jpg`;
        const thumbKey = `${id}/thumb.jpg`;
        await deps.store.put(imageKey, img.image.data, img.contentType);
        written.push(imageKey);
        await deps.store.put(thumbKey, img.thumb.data, img.contentType);
        written.push(thumbKey);
        const [row] = await tx
          .insert(uploads)
          .values({
            id,
            ownerId: actor.userId,
            purpose,
            visibility,
            contentType: img.contentType,
            width: img.image.width,
            height: img.image.height,
            bytes: img.image.data.length,
            imageKey,
            thumbKey,
          })
          .returning();
        out.push(row!);
      }
      if (actor.onBehalfOf)
        await audit(tx, actor, 'upload.created', { type: 'upload', id: null }, { ids: out.map((r) => r.id) });
      return out;
    });
    return Promise.all(rows.map(async (r) => viewOf(r, await deps.urls.forRow(r))));
  } catch (err) {
    await deps.store.delete(written).catch(() => {});
    throw err;
  }
}

/**
 * An image the server made itself (the demo seed's product drawings), re-encoded like any upload
 * and attached at once, in the caller's transaction. The bytes are written first: a failed
 * transaction leaves bytes without a row, never a row without its bytes.
 */
export async function storeAttachedImage(
  tx: DbOrTx,
  deps: { store: Pick<ObjectStore, 'put'>; maxPixels: number },
  opts: { ownerId: string; data: Buffer; to: Attachment },
): Promise<string> {
  const img = await prepareImage(deps, opts.data);
  const id = uuidv7();
  const imageKey = `${id}/image.jpg`;
  const thumbKey = `${id}/thumb.jpg`;
  await deps.store.put(imageKey, img.image.data, img.contentType);
  await deps.store.put(thumbKey, img.thumb.data, img.contentType);
  await tx.insert(uploads).values({
    id,
    ownerId: opts.ownerId,
    purpose: opts.to.type,
    visibility: UPLOAD_PURPOSES[opts.to.type].visibility,
    contentType: img.contentType,
    width: img.image.width,
    height: img.image.height,
    bytes: img.image.data.length,
    imageKey,
    thumbKey,
    attachedType: opts.to.type,
    attachedId: opts.to.id,
    attachedAt: sql`now()`,
  });
  return id;
}

/** The owner's own upload; anyone else's, or none, is the same 404. */
async function ownUpload(db: DbOrTx, actor: Actor, id: string): Promise<UploadRow> {
  const [row] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, id), eq(uploads.ownerId, actor.userId)));
  if (!row) throw notFound();
  return row;
}

export async function getUpload(deps: UploadDeps, actor: Actor, id: string): Promise<Upload> {
  const row = await ownUpload(deps.db, actor, id);
  return viewOf(row, await deps.urls.forRow(row));
}

/** An upload not yet attached may be taken back by its owner; an attached one belongs to its thing. */
export async function deleteUpload(deps: UploadDeps, actor: Actor, id: string): Promise<void> {
  const row = await deps.db.transaction(async (tx) => {
    await ownUpload(tx, actor, id);
    const [gone] = await tx
      .delete(uploads)
      .where(and(eq(uploads.id, id), eq(uploads.ownerId, actor.userId), isNull(uploads.attachedId)))
      .returning();
    if (!gone) throw conflict('UPLOAD_ATTACHED', 'This photo is already part of a request and stays with it');
    if (actor.onBehalfOf) await audit(tx, actor, 'upload.deleted', { type: 'upload', id });
    return gone;
  });
  // After the commit: a failure here leaves bytes without a row, never a row without bytes.
  await deps.store.delete([row.imageKey, row.thumbKey]);
}

/**
 * Attaches uploads to the thing they illustrate, in the caller's transaction. One conditional
 * update decides: only the owner's own uploads of this purpose that are still free are taken, so
 * an upload is attached once, and a stranger's id fails exactly like an id that does not exist.
 */
export async function attachUploads(
  tx: DbOrTx,
  opts: { ownerId: string; ids: string[]; to: Attachment; path: string },
): Promise<void> {
  if (opts.ids.length === 0) return;
  const taken = await tx
    .update(uploads)
    .set({ attachedType: opts.to.type, attachedId: opts.to.id, attachedAt: sql`now()` })
    .where(
      and(
        inArray(uploads.id, opts.ids),
        eq(uploads.ownerId, opts.ownerId),
        eq(uploads.purpose, opts.to.type),
        isNull(uploads.attachedId),
      ),
    )
    .returning({ id: uploads.id });
  const ok = new Set(taken.map((r) => r.id));
  const bad = opts.ids.flatMap((id, i) => (ok.has(id) ? [] : [i]));
  if (bad.length)
    throw new AppError(
      409,
      'UPLOAD_NOT_AVAILABLE',
      'Some photos cannot be used: upload them again',
      bad.map((i) => ({
        path: `${opts.path}.${i}`,
        message: 'is not a photo you uploaded for this, or is already used',
      })),
    );
}

/**
 * The images attached to each of these things, as URLs for whoever is being answered. The caller
 * has checked that the viewer may see the things; `order` lists each thing's upload ids in the
 * order they were chosen (ids attached elsewhere are left out).
 */
export async function attachedImages(
  db: DbOrTx,
  type: Attachment['type'],
  order: Map<string, string[]>,
  urls?: UploadUrls,
): Promise<Map<string, ImageRef[]>> {
  const out = new Map<string, ImageRef[]>();
  // Refunds from before uploads hold typed-in URLs here: those are not ours to sign and are skipped.
  const ids = [...order.values()].flat().filter((id) => UUID.test(id));
  if (ids.length === 0) {
    for (const thing of order.keys()) out.set(thing, []);
    return out;
  }
  const rows = await db
    .select()
    .from(uploads)
    .where(and(inArray(uploads.id, ids), eq(uploads.attachedType, type)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  // Asked for only when there is something to sign: views without photos work anywhere.
  const signer = rows.length ? (urls ?? currentUploadUrls()) : undefined;
  for (const [thing, list] of order) {
    const refs: ImageRef[] = [];
    for (const id of list) {
      const row = byId.get(id);
      if (row?.attachedId !== thing) continue;
      const u = await signer!.forRow(row);
      refs.push({ id, url: u.url, thumbUrl: u.thumbUrl, width: row.width, height: row.height });
    }
    out.set(thing, refs);
  }
  return out;
}

export interface ServedFile {
  data: Buffer;
  contentType: string;
  /** Seconds a cache may keep it, and whether a shared cache may. */
  maxAge: number;
  shared: boolean;
}

/**
 * Whether a public image is on show now. A module that attaches public uploads of a purpose
 * registers the answer (a post hidden by moderation or edited without the photo, a withdrawn
 * notice), so its photos stop being served the moment the thing stops being public; uploads
 * knows nothing of posts or notices.
 */
export type PublicShownCheck = (db: DbOrTx, attachedId: string, uploadId: string) => Promise<boolean>;
const shownChecks = new Map<UploadPurpose, PublicShownCheck>();

export function registerPublicShownCheck(purpose: UploadPurpose, check: PublicShownCheck): void {
  shownChecks.set(purpose, check);
}

/**
 * How long a cache may keep a public image: it is the same bytes for ever, but a photo taken down
 * by moderation must leave browsers and CDNs soon.
 */
const PUBLIC_MAX_AGE_SECONDS = 600;

/**
 * An upload's bytes for the server's own use (a content check), whatever its visibility; never
 * for answering a request.
 */
export async function uploadBytes(
  deps: Pick<UploadDeps, 'db' | 'store'>,
  id: string,
  variant: Variant,
): Promise<{ data: Buffer; contentType: string } | null> {
  const [row] = await deps.db.select().from(uploads).where(eq(uploads.id, id));
  if (!row) return null;
  const data = await deps.store.get(variant === 'thumb' ? row.thumbKey : row.imageKey);
  return data ? { data, contentType: row.contentType } : null;
}

/**
 * The bytes behind a URL this module handed out. A signed URL is checked before the database is
 * asked anything, so a forged one learns nothing about which ids exist; an unsigned one works
 * only for a public upload attached to something on show now.
 */
export async function serveFile(
  deps: UploadDeps,
  id: string,
  q: { variant: Variant; exp?: number; sig?: string },
): Promise<ServedFile> {
  const signed = q.exp !== undefined || q.sig !== undefined;
  let maxAge = PUBLIC_MAX_AGE_SECONDS;
  if (signed) {
    if (q.exp === undefined || q.sig === undefined || !deps.urls.verify(id, q.variant, q.exp, q.sig))
      throw new AppError(403, 'UPLOAD_LINK_INVALID', 'This image link is not valid');
    maxAge = q.exp - Math.floor(deps.urls.now().getTime() / 1000);
    if (maxAge <= 0)
      throw new AppError(403, 'UPLOAD_LINK_EXPIRED', 'This image link has expired: reload the page');
  }
  const [row] = await deps.db.select().from(uploads).where(eq(uploads.id, id));
  if (!row || (!signed && !(row.visibility === 'public' && row.attachedId))) throw notFound();
  const shown = shownChecks.get(row.purpose);
  if (!signed && shown && !(await shown(deps.db, row.attachedId!, row.id))) throw notFound();
  const data = await deps.store.get(q.variant === 'thumb' ? row.thumbKey : row.imageKey);
  if (!data) throw notFound();
  return { data, contentType: row.contentType, maxAge, shared: !signed };
}

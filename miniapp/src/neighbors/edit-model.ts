import { codePoints, containsLink, POST_MAX_CHARS, POST_MAX_IMAGES } from 'shared';
import { ApiError, describeError } from '../api/errors';

/** Pure pieces of the post editor (发动态 / 编辑动态): checks before sending, the photo queue, the draft. */

export const MAX_TEXT = POST_MAX_CHARS;
export const MAX_IMAGES = POST_MAX_IMAGES;

/** What this member may post now: from the BFF (new members have tighter limits). */
export interface TrustLimits {
  maxImages: number;
  linksAllowed: boolean;
}

/** A photo of the post being written: uploading, uploaded (has the upload), or failed (can retry). */
export interface DraftImage {
  /** Stable key for the list: the upload id once there is one, else the local path. */
  key: string;
  /** The local file (temp path / object URL) while not uploaded; reused by 重试. */
  path?: string;
  status: 'uploading' | 'done' | 'failed';
  uploadId?: string;
  thumbUrl?: string;
  url?: string;
  error?: string;
}

export type EditorField = 'topic' | 'title' | 'text' | 'images' | 'merchant' | 'form';
export type FieldErrors = Partial<Record<EditorField, string>>;

export interface EditorValues {
  topic: string | null;
  text: string;
  images: DraftImage[];
  merchantId: string | null;
}

/** 12 / 1000 (or 8 / 40 for the title) — and whether it is over. */
export function textCount(text: string, max = MAX_TEXT): { used: number; over: boolean; label: string } {
  const used = codePoints(text);
  return { used, over: used > max, label: `${used}/${max}` };
}

/** The problems a person can fix before sending, by field; empty when the post may go. */
export function editorProblems(v: EditorValues, limits: TrustLimits, recommendTopic: string): FieldErrors {
  const out: FieldErrors = {};
  if (!v.topic) out.topic = '请选择一个话题';
  if (!v.text.trim()) out.text = '请写点内容再发布';
  else if (codePoints(v.text) > MAX_TEXT) out.text = `最多 ${MAX_TEXT} 字，请删减一些`;
  else if (!limits.linksAllowed && containsLink(v.text))
    out.text = '新成员暂时不能发链接：入住满一周且没有被删除的动态后即可';
  const limit = Math.min(MAX_IMAGES, limits.maxImages);
  if (v.images.length > limit)
    out.images =
      limit < MAX_IMAGES
        ? `新成员每条最多 ${limit} 张照片：入住满一周且没有被删除的动态后可发 ${MAX_IMAGES} 张`
        : `最多 ${MAX_IMAGES} 张照片`;
  else if (v.images.some((i) => i.status === 'uploading')) out.images = '照片还在上传，请稍候';
  else if (v.images.some((i) => i.status === 'failed')) out.images = '有照片没有传上去：请点「重试」或删除它';
  if (v.topic === recommendTopic && !v.merchantId) out.merchant = '推荐动态请选择要推荐的商家';
  return out;
}

/** How many more photos the picker may offer. */
export const roomForImages = (images: DraftImage[], limits: TrustLimits) =>
  Math.max(0, Math.min(MAX_IMAGES, limits.maxImages) - images.length);

/** 上传中 2/5: photos still going up out of those not yet failed; null when none is uploading. */
export function uploadProgress(images: DraftImage[]): string | null {
  const going = images.filter((i) => i.status === 'uploading').length;
  if (!going) return null;
  const total = images.filter((i) => i.status !== 'failed').length;
  return `照片上传中 ${total - going}/${total}`;
}

/** Photos just picked: queued as uploading, each under its own key. */
export const queued = (paths: string[]): DraftImage[] =>
  paths.map((path) => ({ key: path, path, status: 'uploading' }));

/** One photo's upload answered: done with its upload, or failed with why (kept for 重试). */
export function settled(
  images: DraftImage[],
  key: string,
  result: { ok: true; id: string; thumbUrl: string; url: string } | { ok: false; error: string },
): DraftImage[] {
  return images.map((img) => {
    if (img.key !== key) return img;
    if (!result.ok) return { ...img, status: 'failed', error: result.error };
    return {
      key: img.key,
      status: 'done',
      uploadId: result.id,
      thumbUrl: result.thumbUrl,
      url: result.url,
    };
  });
}

export const retrying = (images: DraftImage[], key: string): DraftImage[] =>
  images.map((img) => (img.key === key ? { ...img, status: 'uploading', error: undefined } : img));

/** The upload ids to send, in the order shown. */
export const imageIds = (images: DraftImage[]) => images.flatMap((i) => (i.uploadId ? [i.uploadId] : []));

/** What a draft keeps across closing the page: the words, the topic, the shop, photos already up. */
export interface Draft {
  topic: string | null;
  text: string;
  merchantId: string | null;
  merchantName: string | null;
  images: { uploadId: string; thumbUrl: string; url: string }[];
}

export function toDraft(v: EditorValues, merchantName: string | null): Draft {
  return {
    topic: v.topic,
    text: v.text,
    merchantId: v.merchantId,
    merchantName,
    images: v.images.flatMap((i) =>
      i.status === 'done' && i.uploadId && i.thumbUrl && i.url
        ? [{ uploadId: i.uploadId, thumbUrl: i.thumbUrl, url: i.url }]
        : [],
    ),
  };
}

/** A stored draft back into the editor; null when there is nothing worth restoring or it is damaged. */
export function fromDraft(raw: unknown): Draft | null {
  if (!raw || typeof raw !== 'object') return null;
  const d = raw as Partial<Draft>;
  const text = typeof d.text === 'string' ? d.text : '';
  const images = Array.isArray(d.images)
    ? d.images.filter(
        (i): i is Draft['images'][number] =>
          !!i &&
          typeof i.uploadId === 'string' &&
          typeof i.thumbUrl === 'string' &&
          typeof i.url === 'string',
      )
    : [];
  if (!text.trim() && images.length === 0) return null;
  return {
    topic: typeof d.topic === 'string' ? d.topic : null,
    text,
    merchantId: typeof d.merchantId === 'string' ? d.merchantId : null,
    merchantName: typeof d.merchantName === 'string' ? d.merchantName : null,
    images,
  };
}

export const draftImages = (d: Draft): DraftImage[] =>
  d.images.map((i) => ({
    key: i.uploadId,
    status: 'done',
    uploadId: i.uploadId,
    thumbUrl: i.thumbUrl,
    url: i.url,
  }));

/** Which field a refusal of the BFF is about: the editor shows it there, not in a toast. */
const CODE_FIELDS: Record<string, EditorField> = {
  NEIGHBOR_LINKS_NOT_ALLOWED: 'text',
  NEIGHBOR_SENSITIVE_WORD: 'text',
  NEIGHBOR_CONTENT_RISKY: 'text',
  NEIGHBOR_TOO_MANY_IMAGES: 'images',
  UPLOAD_NOT_AVAILABLE: 'images',
  NEIGHBOR_MERCHANT_NOT_LISTED: 'merchant',
};

/** VALIDATION_FAILED details by the body field they name. */
const PATH_FIELDS: Record<string, EditorField> = {
  topic: 'topic',
  title: 'title',
  text: 'text',
  imageIds: 'images',
  merchantId: 'merchant',
};

const FIELD_COPY: Record<string, string> = {
  topic: '请选择一个话题',
  title: `标题最多 40 字`,
  text: `正文需要 1 到 ${POST_MAX_CHARS} 字`,
  imageIds: `最多 ${POST_MAX_IMAGES} 张照片，且不能重复`,
  merchantId: '只有「推荐」话题可以选择商家',
};

/** The word a NEIGHBOR_SENSITIVE_WORD names in its details, quoted in any of the usual ways. */
function quotedWord(err: ApiError): string | null {
  for (const d of err.details) {
    const m = /[「“"']([^」”"']+)[」”"']/.exec(d.message);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * A refusal of 发布 / 保存 as errors by field: the trust rules, the word list and WeChat's check on
 * the text or the photos, bad fields one by one; anything else on the form as a whole.
 */
export function serverFieldErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError)) return { form: describeError(err) };
  if (err.code === 'VALIDATION_FAILED') {
    const out: FieldErrors = {};
    for (const d of err.details) {
      const key = d.path.replace(/^body\./, '').split('.')[0] ?? '';
      const field = PATH_FIELDS[key];
      if (field && !out[field]) out[field] = FIELD_COPY[key];
    }
    if (Object.keys(out).length) return out;
  }
  const field = CODE_FIELDS[err.code];
  const text = describeError(err);
  if (!field) return { form: text };
  if (err.code === 'NEIGHBOR_SENSITIVE_WORD') {
    const word = quotedWord(err);
    return { text: word ? `${text}（“${word}”）` : text };
  }
  return { [field]: text };
}

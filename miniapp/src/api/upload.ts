import Taro from '@tarojs/taro';
import { api, MAX_FILES_PER_UPLOAD, type Upload, UploadList, type UploadPurpose } from 'shared';
import { ApiError, errorFromResponse, networkError } from './errors';
import { API_BASE, actingFor, client, tokens } from './index';
import { isProxyRoute, ON_BEHALF_HEADER } from './proxy';
import { buildUrl } from './url';

/**
 * Photos from the phone to the BFF, one helper for both platforms: on WeChat the picker
 * (chooseMedia) and wx.uploadFile, one file per request as uploadFile sends them; on H5 a file
 * input and one multipart request for all of them. Either way the server re-encodes what it gets.
 */
export interface PickedImage {
  /** A temp path on WeChat, an object URL on H5 (both fine for <Image src>). */
  path: string;
  size: number;
  /** H5 only: the file itself. */
  file?: File;
}

/** Image URLs from the API are relative when the BFF serves them itself; <Image> needs a full one on WeChat. */
export function imageSrc(url: string): string {
  return url.startsWith('/') ? `${API_BASE.replace(/\/$/, '')}${url}` : url;
}

/** The picker, letting the person choose up to `max` photos (album or camera). [] when they cancel. */
export async function chooseImages(max: number): Promise<PickedImage[]> {
  const count = Math.max(0, Math.min(max, MAX_FILES_PER_UPLOAD));
  if (count === 0) return [];
  if (process.env.TARO_ENV === 'h5') return chooseFromInput(count);
  try {
    const res = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      // WeChat's compression also turns an iPhone's HEIC into JPEG, which the server reads.
      sizeType: ['compressed'],
    });
    return res.tempFiles.map((f) => ({ path: f.tempFilePath, size: f.size }));
  } catch (err) {
    if (/cancel/i.test(String((err as { errMsg?: string }).errMsg ?? err))) return [];
    throw err;
  }
}

function chooseFromInput(count: number): Promise<PickedImage[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/jpeg,image/png,image/webp,image/*';
    input.multiple = count > 1;
    input.style.display = 'none';
    const done = (files: File[]) => {
      input.remove();
      resolve(
        files.slice(0, count).map((file) => ({ path: URL.createObjectURL(file), size: file.size, file })),
      );
    };
    input.addEventListener('change', () => done(Array.from(input.files ?? [])));
    input.addEventListener('cancel', () => done([]));
    document.body.appendChild(input);
    input.click();
  });
}

function authHeaders(accessToken: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const elderId = isProxyRoute('createUploads') ? actingFor.get()?.elderId : null;
  if (elderId) headers[ON_BEHALF_HEADER] = elderId;
  return headers;
}

/** The BFF's answer to one upload request, as uploads or as the ApiError it stands for. */
export function readUploadAnswer(status: number, data: unknown): Upload[] {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = undefined;
    }
  }
  if (status < 200 || status >= 300) throw errorFromResponse(status, body);
  const parsed = UploadList.safeParse(body);
  if (!parsed.success)
    throw new ApiError({ code: 'INVALID_RESPONSE', message: '服务器返回的数据格式不正确', status });
  return parsed.data.items;
}

type Send = (accessToken: string | undefined) => Promise<{ status: number; data: unknown }>;

/** One request, retried once with a fresh token when the old one had expired (as `call` does). */
async function withSession(send: Send): Promise<Upload[]> {
  let res: { status: number; data: unknown };
  try {
    res = await send(tokens.get()?.accessToken);
    if (res.status === 401) {
      const fresh = await client.refresh();
      if (!fresh)
        throw new ApiError({ code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录', status: 401 });
      res = await send(fresh.accessToken);
    }
  } catch (err) {
    throw err instanceof ApiError ? err : networkError(err);
  }
  return readUploadAnswer(res.status, res.data);
}

/** Uploads the chosen photos for `purpose`; resolves with the uploads in the order chosen. */
export async function uploadImages(images: PickedImage[], purpose: UploadPurpose): Promise<Upload[]> {
  const url = buildUrl(API_BASE, api.createUploads.path, undefined, { purpose });
  if (process.env.TARO_ENV === 'h5') {
    const out: Upload[] = [];
    for (let i = 0; i < images.length; i += MAX_FILES_PER_UPLOAD) {
      const batch = images.slice(i, i + MAX_FILES_PER_UPLOAD);
      out.push(
        ...(await withSession(async (token) => {
          const form = new FormData();
          for (const img of batch) form.append('file', img.file!, img.file!.name);
          const res = await fetch(url, { method: 'POST', headers: authHeaders(token), body: form });
          return { status: res.status, data: await res.text() };
        })),
      );
    }
    return out;
  }
  const out: Upload[] = [];
  for (const img of images) {
    out.push(
      ...(await withSession(async (token) => {
        const res = await Taro.uploadFile({
          url,
          filePath: img.path,
          name: 'file',
          header: authHeaders(token),
          timeout: 60_000,
        });
        return { status: res.statusCode, data: res.data };
      })),
    );
  }
  return out;
}

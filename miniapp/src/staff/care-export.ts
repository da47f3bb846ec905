import { api } from 'shared';
import { API_BASE, client, tokens } from '../api';
import { ApiError, errorFromResponse, networkError } from '../api/errors';
import { buildUrl } from '../api/url';

/** The file name the civil-affairs export downloads as. */
export const exportFileName = (month: string) => `居家养老服务结算-${month}.csv`;

/**
 * H5 only: the month's CSV fetched with the staff member's token (a bare link would carry none),
 * then handed to the browser as a download. The body is the BFF's bytes as sent (UTF-8 with BOM).
 */
export async function downloadCareExport(month: string): Promise<void> {
  const url = buildUrl(API_BASE, api.staffCareExport.path, undefined, { month });
  const send = (token: string | undefined) =>
    fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  let res: Response;
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
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    throw errorFromResponse(res.status, body);
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(new Blob([blob], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = href;
  a.download = exportFileName(month);
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

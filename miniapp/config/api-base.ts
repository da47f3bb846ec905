/**
 * The API base a weapp build is compiled with must be reachable from a phone: WeChat only lets a
 * released mini-program call request domains configured in its console, and only over HTTPS. A
 * plain-http base works in DevTools with 不校验合法域名 ticked and on a phone in debug mode, so the
 * mistake would only show once the release is out. A production weapp build therefore refuses it.
 *
 * Loopback bases are the one exception: no phone can reach them anyway, they are the documented
 * default (`pnpm test` builds the weapp package for its size budget that way), and the build says
 * loudly that the package is for DevTools on this computer only.
 */

/** What `miniapp/src/api` falls back to in a weapp build without TARO_APP_API_BASE. */
export const DEFAULT_WEAPP_API_BASE = 'http://127.0.0.1:3000';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type ApiBaseCheck = { error: string } | { warning: string } | null;

/** Whether a build with this environment may ship its API base; null when there is nothing to say. */
export function checkReleaseApiBase(env: {
  NODE_ENV?: string;
  TARO_ENV?: string;
  TARO_APP_API_BASE?: string;
}): ApiBaseCheck {
  // Same split as config/index.ts: everything but a development build gets the production config.
  const production = env.NODE_ENV !== 'development';
  if (!production || (env.TARO_ENV ?? 'weapp') !== 'weapp') return null;
  const base = env.TARO_APP_API_BASE || DEFAULT_WEAPP_API_BASE;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return { error: `TARO_APP_API_BASE=${base} is not a URL. Set it to the BFF's https:// origin.` };
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) {
    return {
      warning:
        `weapp build with the API at ${base}: only WeChat DevTools on this computer (不校验合法域名) can ` +
        'reach it. For a release set TARO_APP_API_BASE=https://<the BFF origin configured as request 合法域名>.',
    };
  }
  return {
    error:
      `A production weapp build needs an https:// API base; TARO_APP_API_BASE=${base} is not. ` +
      'WeChat calls only request 合法域名 configured over HTTPS in the mini-program console ' +
      '(开发管理 → 开发设置 → 服务器域名). Set TARO_APP_API_BASE=https://..., or run ' +
      '`pnpm --filter miniapp dev:weapp` for a debug build.',
  };
}

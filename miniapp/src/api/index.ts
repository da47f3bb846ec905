import Taro from '@tarojs/taro';
import { PAGES } from 'shared';
import { createActingStore } from '../session/acting-for';
import { createApiClient, type HttpTransport } from './client';
import { taroStorage } from './storage';
import { createTokenStore } from './tokens';

export { ApiError, errorMessage } from './errors';

/** H5 talks to its own origin unless TARO_APP_API_BASE was set at build time; weapp needs a host. */
export const API_BASE =
  process.env.TARO_APP_API_BASE || (process.env.TARO_ENV === 'h5' ? '' : 'http://127.0.0.1:3000');

export const LOGIN_PAGE = PAGES.login;

const taroTransport: HttpTransport = async (request) => {
  const res = await Taro.request({
    url: request.url,
    method: request.method,
    header: request.headers,
    data: request.data as TaroGeneral.IAnyObject | undefined,
    dataType: 'json',
    timeout: 15_000,
  });
  return { status: res.statusCode, data: res.data };
};

export const tokens = createTokenStore(taroStorage);

/** Acting-for mode (代办): whose data the proxy-capable routes return. */
export const actingFor = createActingStore(taroStorage);

function goToLogin(): void {
  actingFor.set(null);
  const pages = Taro.getCurrentPages();
  const current = pages[pages.length - 1]?.route ?? '';
  if (`/${current}`.startsWith(LOGIN_PAGE)) return;
  void Taro.reLaunch({ url: LOGIN_PAGE });
}

export const client = createApiClient({
  baseUrl: API_BASE,
  transport: taroTransport,
  tokens,
  onAuthLost: goToLogin,
  // On WeChat a lost session is recovered silently: wx.login needs no tap.
  loginCode: process.env.TARO_ENV === 'weapp' ? async () => (await Taro.login()).code || null : undefined,
  onBehalfOf: () => actingFor.get()?.elderId ?? null,
  onProxyLost: () => {
    actingFor.set(null);
    void Taro.showToast({ title: '代办关系已解除', icon: 'none' });
  },
});

/** The one typed entry point to the BFF: `call('me')`, `call('community', { params: { id } })`. */
export const call = client.call;
export { goToLogin };

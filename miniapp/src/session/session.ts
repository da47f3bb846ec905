import Taro from '@tarojs/taro';
import { PAGES, type Role, type TokenPair } from 'shared';
import { actingFor, call, LOGIN_PAGE, tokens } from '../api';
import { elderStore } from '../elder/use-elder-mode';

function keep(pair: TokenPair): void {
  // A new sign-in never inherits someone else's acting-for mode.
  actingFor.set(null);
  tokens.set({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, userId: pair.userId });
}

/**
 * Reads the signed-in person's elder-mode choice and birth date, so the mode they chose on another
 * phone (or their age) applies here. Not while acting: /v1/me then describes the elder.
 */
export async function refreshElderProfile(): Promise<void> {
  if (!tokens.get() || actingFor.get()) return;
  try {
    const me = await call('me');
    if (actingFor.get()) return;
    elderStore.applyProfile({
      userId: me.user.id,
      birthDate: me.user.birthDate,
      elderMode: me.user.elderMode,
    });
  } catch {
    // Offline or signed out meanwhile: the last known profile stays in force.
  }
}

/** H5 only: the BFF's dev login by phone number. */
export async function loginWithPhone(phone: string): Promise<void> {
  keep(await call('devLogin', { body: { phone } }));
  await refreshElderProfile();
}

/** weapp: wx.login code exchanged by the BFF for our own token pair. */
export async function loginWithWechat(): Promise<void> {
  const { code } = await Taro.login();
  if (!code) throw new Error('微信登录失败，请重试');
  keep(await call('wechatLogin', { body: { code } }));
  await refreshElderProfile();
}

export async function logout(): Promise<void> {
  const current = tokens.get();
  if (current) {
    try {
      await call('logout', { body: { refreshToken: current.refreshToken } });
    } catch {
      // Revoking on the server is best effort; the local session ends either way.
    }
  }
  tokens.clear();
  actingFor.set(null);
  // The next person on this phone starts from their own choice, not this one's.
  elderStore.reset();
  await Taro.reLaunch({ url: LOGIN_PAGE });
}

export const ROLE_TEXT: Record<Role, string> = {
  resident: '居民',
  merchant: '商户',
  courier: '配送员',
  caregiver: '照护员',
  provider: '服务机构',
  volunteer: '志愿者',
  staff: '工作人员',
  operator: '系统运维',
};

export const HOME_PAGE = PAGES.home;

/** Starts acting for an elder (代办): every page then shows the elder's data, under a banner. */
export async function startActingFor(elder: { elderId: string; name: string }): Promise<void> {
  actingFor.set(elder);
  // Relaunch so no page keeps the family member's own data on screen.
  await Taro.reLaunch({ url: HOME_PAGE });
}

export async function stopActingFor(): Promise<void> {
  actingFor.set(null);
  await Taro.reLaunch({ url: HOME_PAGE });
}

import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import { actingFor, call, tokens } from '../api';
import { taroStorage } from '../api/storage';
import { createElderStore } from './elder-store';
import { largeSystemText } from './system-font';

/** The app-wide elder mode store, persisted in Taro storage; the person's choice lives on their account. */
export const elderStore = createElderStore(taroStorage, {
  actingForElder: () => actingFor.get() !== null,
  subscribeActing: actingFor.subscribe,
  largeSystemText: largeSystemText(),
  async saveChoice(on) {
    // Signed out (the login page): the choice stays on this device until someone signs in.
    if (!tokens.get()) return;
    try {
      await call('updateMe', { body: { elderMode: on } });
    } catch {
      void Taro.showToast({ title: '已切换，但未能保存到账号，换手机登录时可能需要重新设置', icon: 'none' });
    }
  },
});

// H5: the tab bar is outside every page root, so mirror the mode as a class on <body> as well.
if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
  const sync = () => document.body.classList.toggle('elder-mode', elderStore.get());
  sync();
  elderStore.subscribe(sync);
}

export function useElderMode(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(elderStore.subscribe, elderStore.get, elderStore.get);
  return [on, elderStore.set];
}

/** Whether the "已为您开启长辈模式" note is due on this page. */
export function useElderNote(): boolean {
  return useSyncExternalStore(elderStore.subscribe, elderStore.noteVisible, elderStore.noteVisible);
}

import { useSyncExternalStore } from 'react';
import { taroStorage } from '../api/storage';
import { createElderStore } from './elder-store';

/** The app-wide elder mode store, persisted in Taro storage. */
export const elderStore = createElderStore(taroStorage);

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

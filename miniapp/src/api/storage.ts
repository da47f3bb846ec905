import Taro from '@tarojs/taro';
import type { KeyValueStorage } from './tokens';

/** Taro's synchronous storage (wx storage in weapp, localStorage in H5). */
export const taroStorage: KeyValueStorage = {
  getItem(key) {
    const value: unknown = Taro.getStorageSync(key);
    return typeof value === 'string' && value !== '' ? value : null;
  },
  setItem(key, value) {
    Taro.setStorageSync(key, value);
  },
  removeItem(key) {
    Taro.removeStorageSync(key);
  },
};

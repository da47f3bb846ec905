import Taro from '@tarojs/taro';
import { isLargeBrowserFont, isLargeWechatFont } from './elder-decision';

interface FontInfo {
  fontSizeSetting?: number;
  fontSizeScaleFactor?: number;
}

/**
 * Whether the person has set their text size large, read once at start-up: on weapp WeChat's
 * 字体大小 / 关怀模式, on H5 the browser's default font size (`font-size: medium` resolves to it,
 * whatever the page's root font size is).
 */
export function largeSystemText(): boolean {
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const base = Taro.getAppBaseInfo as (() => FontInfo) | undefined;
      const info: FontInfo = base ? base() : (Taro.getSystemInfoSync() as FontInfo);
      return isLargeWechatFont(info.fontSizeSetting, info.fontSizeScaleFactor);
    }
    if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined' && document.body) {
      const probe = document.createElement('div');
      probe.style.cssText = 'position:absolute;visibility:hidden;font-size:medium';
      document.body.appendChild(probe);
      const px = Number.parseFloat(getComputedStyle(probe).fontSize);
      probe.remove();
      return isLargeBrowserFont(px);
    }
  } catch {
    // No reading: follow the other signals only.
  }
  return false;
}

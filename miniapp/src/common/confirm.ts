import Taro from '@tarojs/taro';

export interface ConfirmOptions {
  /** The button that goes ahead: 确定 unless the action has a plainer name (截单, 开柜). */
  confirmText?: string;
  /** 取消 unless that word would be ambiguous, as on 取消订单 (the shop says 再想想). */
  cancelText?: string;
}

/**
 * Asks before something that cannot be taken back. Resolves false when the person backs out, and
 * when the modal could not open: an action nobody confirmed must not run.
 */
export async function confirm(
  title: string,
  content: string,
  options: ConfirmOptions = {},
): Promise<boolean> {
  const { confirmText = '确定', cancelText = '取消' } = options;
  try {
    return (await Taro.showModal({ title, content, confirmText, cancelText })).confirm;
  } catch {
    return false;
  }
}

import Taro from '@tarojs/taro';

/** Asks before something that cannot be taken back (拒单, 同意退款). */
export async function confirm(title: string, content: string): Promise<boolean> {
  try {
    const res = await Taro.showModal({ title, content, confirmText: '确定', cancelText: '取消' });
    return res.confirm;
  } catch {
    return false;
  }
}

import Taro from '@tarojs/taro';
import { describe, expect, it, vi } from 'vitest';
import { confirm } from './confirm';

// Taro's H5 modal needs a page to draw in; only what confirm asks of it matters here.
vi.mock('@tarojs/taro', () => ({ default: { showModal: vi.fn() } }));
const modal = vi.mocked(Taro.showModal);

describe('confirm', () => {
  it('asks with 确定 / 取消 unless told otherwise, and answers what was tapped', async () => {
    modal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'ok' });
    expect(await confirm('暂停营业', '确定暂停吗？')).toBe(true);
    expect(modal).toHaveBeenLastCalledWith({
      title: '暂停营业',
      content: '确定暂停吗？',
      confirmText: '确定',
      cancelText: '取消',
    });

    modal.mockResolvedValue({ confirm: false, cancel: true, errMsg: 'ok' });
    expect(await confirm('取消订单', '确定取消吗？', { cancelText: '再想想' })).toBe(false);
    expect(modal).toHaveBeenLastCalledWith(
      expect.objectContaining({ confirmText: '确定', cancelText: '再想想' }),
    );
  });

  it('does not go ahead when the modal cannot open', async () => {
    modal.mockRejectedValue(new Error('showModal:fail'));
    expect(await confirm('开柜', '确定开柜吗？', { confirmText: '开柜' })).toBe(false);
  });
});

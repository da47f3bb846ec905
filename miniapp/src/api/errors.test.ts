import { describe, expect, it } from 'vitest';
import { ERROR_TEXT } from './error-text';
import { ApiError, describeError, errorMessage, networkError } from './errors';

const err = (
  code: string,
  message = 'Something in English',
  status = 409,
  details: ApiError['details'] = [],
) => new ApiError({ code, message, status, details });

describe('describeError', () => {
  it("says a known code in the registry's words, not the BFF's English", () => {
    expect(errorMessage(err('PROXY_LINK_REVOKED', 'This link has already ended'))).toBe(
      ERROR_TEXT.PROXY_LINK_REVOKED,
    );
  });

  it("prefers the page's own sentence for a code", () => {
    const copy = { codes: { NOT_FOUND: '没有找到这家店铺' } };
    expect(describeError(err('NOT_FOUND', 'Merchant not found', 404), copy)).toBe('没有找到这家店铺');
    expect(describeError(err('FORBIDDEN', 'No', 403), copy)).toBe(ERROR_TEXT.FORBIDDEN);
  });

  it('names the fields a validation failure points at, by the longest listed prefix', () => {
    const fields = {
      compartments: '格口设置有误',
      'delivery.windowId': '请重新选择时段',
      delivery: '配送有误',
    };
    const failed = err('VALIDATION_FAILED', 'Some fields are invalid', 400, [
      { path: 'body.compartments.0.size', message: 'Invalid option' },
      { path: 'body.compartments.1.size', message: 'Invalid option' },
      { path: 'body.delivery.windowId', message: 'Invalid uuid' },
    ]);
    expect(describeError(failed, { fields })).toBe('格口设置有误；请重新选择时段');
    // No listed field: the code's sentence.
    expect(describeError(failed, { fields: { note: '备注过长' } })).toBe(ERROR_TEXT.VALIDATION_FAILED);
  });

  it('reads field sentences only for validation failures', () => {
    const conflict = err('SHOP_CLOSED', 'Closed', 409, [{ path: 'body.merchantId', message: 'Closed' }]);
    expect(describeError(conflict, { fields: { merchantId: '商家有误' } })).toBe(ERROR_TEXT.SHOP_CLOSED);
  });

  it('falls back for a code nobody has words for: a Chinese message, else a Chinese sentence', () => {
    expect(errorMessage(networkError(new Error('request:fail')))).toBe('网络连接失败，请检查网络后重试');
    expect(errorMessage(err('SOMETHING_NEW', '库存盘点中'))).toBe('库存盘点中');
    expect(errorMessage(err('SOMETHING_NEW', 'Shop is counting stock'))).toBe('操作未成功，请刷新后重试');
    expect(errorMessage(err('SOMETHING_NEW', 'Upstream down', 502))).toBe('服务器开小差了，请稍后重试');
    expect(errorMessage(new Error('chooseLocation:fail'))).toBe('出错了，请稍后重试');
    expect(errorMessage(new Error('微信登录失败，请重试'))).toBe('微信登录失败，请重试');
    expect(errorMessage('?')).toBe('出错了，请稍后重试');
  });

  it('never shows English: the sign-in rate limit reads in Chinese', () => {
    const limited = err('RATE_LIMITED', 'Too many requests, slow down', 429);
    expect(errorMessage(limited)).toBe(ERROR_TEXT.RATE_LIMITED);
    for (const e of [limited, err('NEW_CODE', 'Too many', 429), new Error('Too many requests')])
      expect(errorMessage(e)).toMatch(/^[^A-Za-z]+$/);
  });
});

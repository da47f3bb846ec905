import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { answerUnknown, describeOrderError } from './order-errors';

const err = (
  code: string,
  message: string,
  status = 409,
  details: { path: string; message: string }[] = [],
) => new ApiError({ code, message, status, details });

describe('order errors in Chinese', () => {
  const names = ['小白菜', '土豆', '鸡蛋'];
  const lineName = (i: number) => names[i];

  it('maps known codes and names the products the error points at', () => {
    expect(describeOrderError(err('SHOP_CLOSED', 'The shop is not taking orders right now'))).toBe(
      '商家休息中，暂不接单',
    );
    expect(
      describeOrderError(
        err('STOCK_INSUFFICIENT', 'Not enough stock left', 409, [
          { path: 'body.items.1.quantity', message: 'Not enough stock left' },
        ]),
        lineName,
      ),
    ).toBe('「土豆」库存不足，请减少数量或稍后再试');
    expect(
      describeOrderError(
        err('PER_ORDER_LIMIT', 'At most 2 per order', 409, [{ path: 'items.2.quantity', message: 'x' }]),
        lineName,
      ),
    ).toBe('「鸡蛋」超出每单限购数量');
  });

  it('explains validation failures by field', () => {
    expect(
      describeOrderError(
        err('VALIDATION_FAILED', 'Some fields are invalid', 400, [
          { path: 'body.delivery.householdId', message: 'is not a household you are a verified member of' },
        ]),
      ),
    ).toBe('收货地址不是您已认证的住址');
    expect(describeOrderError(err('VALIDATION_FAILED', 'Some fields are invalid', 400, []))).toBe(
      '填写的信息有误',
    );
  });

  it('falls back to a readable server message, else a generic sentence', () => {
    expect(describeOrderError(err('SOMETHING_NEW', '商家正在盘点'))).toBe('商家正在盘点');
    // Never the English message nor the code's name (issue 13: no English on screen).
    expect(describeOrderError(err('SOMETHING_NEW', 'Shop is counting stock'))).toBe(
      '操作未成功，请刷新后重试',
    );
    expect(describeOrderError(err('HTTP_502', 'bad gateway', 502))).toBe('服务器开小差了，请稍后重试');
  });

  it('keeps the Idempotency-Key only when the answer is unknown', () => {
    expect(answerUnknown(err('NETWORK_ERROR', 'x', 0))).toBe(true);
    expect(answerUnknown(err('HTTP_502', 'x', 502))).toBe(true);
    expect(answerUnknown(err('STOCK_INSUFFICIENT', 'x', 409))).toBe(false);
    expect(answerUnknown(new Error('x'))).toBe(false);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { payInWallet, waitUntilSettled } from './payment';

// The wallet is handed in by each test; the API client (and its storage) is not under test here.
vi.mock('@tarojs/taro', () => ({ default: { requestPayment: vi.fn() } }));
vi.mock('../api', () => ({ call: vi.fn() }));

const pay = {
  paymentId: '01939a57-0000-7000-8000-000000000001',
  provider: 'wechatpay',
  params: { timeStamp: '1733100000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' },
} as const;
const noWait = [0, 0, 0];

describe('paying in the WeChat wallet', () => {
  it('hands the wallet exactly the parameters the BFF signed', async () => {
    const requestPayment = vi.fn().mockResolvedValue({ errMsg: 'requestPayment:ok' });
    await payInWallet(pay, async () => true, requestPayment, noWait);
    expect(requestPayment).toHaveBeenCalledWith(pay.params);
  });

  it('counts the money only once the BFF has it, asking again until it does', async () => {
    const answers = [false, false, true];
    const settled = vi.fn(async () => answers.shift() ?? true);
    expect(await payInWallet(pay, settled, vi.fn().mockResolvedValue({}), noWait)).toBe('paid');
    expect(settled).toHaveBeenCalledTimes(3);
  });

  it("says 'confirming' when the wallet succeeded but the BFF has not heard yet", async () => {
    const settled = vi.fn(async () => false);
    expect(await payInWallet(pay, settled, vi.fn().mockResolvedValue({}), noWait)).toBe('confirming');
    expect(settled).toHaveBeenCalledTimes(noWait.length);
  });

  it('a cancelled wallet leaves the thing payable; a failed one is a Chinese error', async () => {
    const settled = vi.fn(async () => true);
    const cancel = vi.fn().mockRejectedValue({ errMsg: 'requestPayment:fail cancel' });
    expect(await payInWallet(pay, settled, cancel, noWait)).toBe('cancelled');
    expect(settled).not.toHaveBeenCalled();
    const fail = vi.fn().mockRejectedValue({ errMsg: 'requestPayment:fail (-1)' });
    await expect(payInWallet(pay, settled, fail, noWait)).rejects.toMatchObject({
      code: 'PAYMENT_FAILED',
      message: '支付未完成，请稍后重试',
    });
  });

  it('a look that fails is no answer: it asks again', async () => {
    const settled = vi
      .fn<() => Promise<boolean>>()
      .mockRejectedValueOnce(new Error('network'))
      .mockResolvedValueOnce(true);
    expect(await waitUntilSettled(settled, noWait, async () => {})).toBe(true);
    expect(settled).toHaveBeenCalledTimes(2);
  });
});

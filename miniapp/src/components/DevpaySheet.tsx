import { Text, View } from '@tarojs/components';
import { type ReactNode, useState } from 'react';
import { formatYuan } from 'shared';
import { Btn } from './Btn';
import './devpay-sheet.scss';
import './devpay-sheet-elder.scss';
import type { ConfirmDevpay } from '../common/payment';

/**
 * devpay's 模拟支付 step, drawn inside the page (so elder mode applies): `confirm(total)` shows the
 * sheet and resolves true on 确认支付, false on 取消.
 */
export function useDevpaySheet(): { confirm: ConfirmDevpay; sheet: ReactNode } {
  const [pending, setPending] = useState<{ totalFen: number; resolve: (ok: boolean) => void } | null>(null);

  const confirm: ConfirmDevpay = (totalFen) =>
    new Promise<boolean>((resolve) => {
      setPending({ totalFen, resolve });
    });

  const answer = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(null);
  };

  const sheet = pending ? (
    <View className="pay-sheet" data-testid="pay-sheet">
      <View className="card stack pay-sheet__panel">
        <Text className="card__title">模拟支付</Text>
        <Text className="muted">开发环境的模拟支付，不会真实扣款。</Text>
        <Text className="pay-sheet__amount" data-testid="pay-amount">
          {formatYuan(pending.totalFen)}
        </Text>
        <Btn onClick={() => answer(true)} testId="pay-confirm">
          确认支付
        </Btn>
        <Btn variant="ghost" onClick={() => answer(false)} testId="pay-cancel">
          暂不支付
        </Btn>
      </View>
    </View>
  ) : null;

  return { confirm, sheet };
}

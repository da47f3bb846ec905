import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatYuan, type MerchantOrder } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { useAction } from '../hooks/use-action';
import { merchantErrorText } from './errors';
import { NumberInput } from './ui';

/** 核销取货码: the resident shows a 6-digit code at the counter; a match hands the order over. */
export function PickupVerifier({ onVerified }: { onVerified: () => Promise<void> }) {
  const [code, setCode] = useState('');
  const [handed, setHanded] = useState<MerchantOrder | null>(null);
  const { busy, error, setError, run } = useAction(merchantErrorText);

  async function verify() {
    const digits = code.trim();
    if (!/^\d{6}$/.test(digits)) return setError('请输入 6 位数字取货码');
    setHanded(null);
    const order = await run(() => call('verifyPickup', { body: { code: digits } }));
    if (order) {
      setHanded(order);
      setCode('');
      void Taro.showToast({ title: '核销成功', icon: 'success' });
      await onVerified();
    }
  }

  return (
    <View className="card stack" data-testid="pickup-verifier">
      <Text className="card__title">核销取货码</Text>
      <View className="m-verify__row">
        <NumberInput
          kind="count"
          maxLength={6}
          placeholder="顾客出示的 6 位取货码"
          value={code}
          onChange={(v) => {
            setCode(v);
            if (error) setError(null);
          }}
          invalid={Boolean(error)}
          testId="pickup-code"
        />
        <Btn disabled={busy} onClick={() => void verify()} testId="pickup-verify">
          {busy ? '核销中…' : '核销'}
        </Btn>
      </View>
      {error ? (
        <Text className="state__message" data-testid="pickup-error">
          {error}
        </Text>
      ) : null}
      {handed ? (
        <View className="m-notice stack" data-testid="pickup-done">
          <Text className="m-p">{`已交付给 ${handed.customer.name || '顾客'}${handed.customer.phoneMasked ? `（${handed.customer.phoneMasked}）` : ''}`}</Text>
          <Text className="m-p">
            {handed.items.map((i) => `${i.name} × ${i.quantity}${i.unit}`).join('、')}
          </Text>
          <Text className="m-p">{`合计 ${formatYuan(handed.totalFen)}`}</Text>
        </View>
      ) : null}
    </View>
  );
}

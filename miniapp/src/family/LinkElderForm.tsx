import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { Phone } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { Btn } from '../components/Btn';
import { ChoiceList } from '../components/ChoiceList';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';

const RELATIONSHIPS = ['儿子', '女儿', '孙子', '孙女', '其他'].map((name) => ({ id: name, name }));

const linkError = (err: unknown) =>
  describeError(err, {
    codes: { RATE_LIMITED: '申请太频繁，请稍后再试' },
    fields: { elderPhone: '请输入长辈的 11 位手机号' },
  });

/** 添加长辈: a family member asks an elder (by phone) for consent to act for them. */
export function LinkElderForm({ onLinked }: { onLinked: () => Promise<void> }) {
  useEffect(() => {
    void prefetchSubscribeTemplates();
  }, []);
  const [phone, setPhone] = useState('');
  const [choice, setChoice] = useState<string | null>(null);
  const [other, setOther] = useState('');
  const { busy, error, setError, run } = useAction(linkError);
  const [sent, setSent] = useState<string | null>(null);

  const relationship = choice === '其他' ? other.trim() : (choice ?? '');

  async function submit() {
    if (!Phone.safeParse(phone).success) return setError('请输入长辈的 11 位手机号');
    if (!relationship) return setError('请选择或填写您与长辈的关系');
    // Before any await: WeChat only shows the subscribe prompt inside a tap.
    const asked = askToSubscribe();
    setSent(null);
    await run(async () => {
      await asked;
      const link = await call('requestProxyLink', { body: { elderPhone: phone, relationship } });
      setSent(link.elderPhone);
      setPhone('');
      setChoice(null);
      setOther('');
      await onLinked();
    });
  }

  return (
    <View className="card stack" data-testid="link-elder-form">
      <Text className="card__title">添加长辈</Text>
      <Text className="muted">长辈同意后，您可以帮TA查看消息、办理住户认证。</Text>
      <TextInput
        kind="phone"
        maxLength={11}
        placeholder="长辈手机号"
        value={phone}
        onChange={setPhone}
        testId="link-elder-phone"
      />
      <ChoiceList
        title="您是长辈的"
        testId="link-relationship"
        items={RELATIONSHIPS}
        selectedId={choice}
        label={(r) => r.name}
        onSelect={(r) => setChoice(r.id)}
      />
      {choice === '其他' ? (
        <TextInput
          maxLength={20}
          placeholder="请填写关系，如 侄女"
          value={other}
          onChange={setOther}
          testId="link-relationship-other"
        />
      ) : null}
      {error ? (
        <Text className="state__message" data-testid="link-elder-error">
          {error}
        </Text>
      ) : null}
      {sent ? (
        <Text className="notice" data-testid="link-elder-sent">
          {`已向 ${sent} 发出申请：若该号码是已登记的长辈，TA 确认后即可代办`}
        </Text>
      ) : null}
      <Btn disabled={busy} onClick={() => void submit()} testId="link-elder-submit">
        {busy ? '提交中…' : '申请代办'}
      </Btn>
    </View>
  );
}

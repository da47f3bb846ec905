import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Phone } from 'shared';
import { errorMessage } from '../../api/errors';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { HOME_PAGE, loginWithPhone, loginWithWechat } from '../../session/session';
import './index.scss';
import { TextInput } from '../../components/TextInput';

const IS_H5 = process.env.TARO_ENV === 'h5';

/** Demo accounts seeded by the BFF (dev-login works on H5 only). */
const DEMO_ACCOUNTS = [
  { label: '居民', phone: '13800000010' },
  { label: '工作人员', phone: '13800000001' },
  { label: '长辈', phone: '13800000020' },
  { label: '家属', phone: '13800000021' },
];

export default function LoginPage() {
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lastAttempt, setLastAttempt] = useState<(() => Promise<void>) | null>(null);

  async function attempt(run: () => Promise<void>) {
    setLastAttempt(() => run);
    setBusy(true);
    setError(null);
    try {
      await run();
      await Taro.switchTab({ url: HOME_PAGE });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function loginByPhone(value: string) {
    if (!Phone.safeParse(value).success) {
      setLastAttempt(null);
      setError('请输入 11 位手机号');
      return;
    }
    void attempt(() => loginWithPhone(value));
  }

  return (
    <Page name="login">
      <View className="login__hero">
        <Text className="login__title">邻里</Text>
        <Text className="login__subtitle">社区生活，一站搞定</Text>
      </View>

      {IS_H5 ? (
        <View className="card stack">
          <TextInput
            kind="phone"
            maxLength={11}
            placeholder="请输入手机号"
            value={phone}
            onChange={setPhone}
            testId="login-phone"
          />
          <Btn disabled={busy} onClick={() => loginByPhone(phone)} testId="login-submit">
            {busy ? '登录中…' : '登录'}
          </Btn>
          <Text className="muted">演示账号（点击直接登录）：</Text>
          <View className="login__demo">
            {DEMO_ACCOUNTS.map((account) => (
              <Btn
                key={account.phone}
                variant="ghost small"
                disabled={busy}
                onClick={() => loginByPhone(account.phone)}
                testId={`login-demo-${account.phone}`}
              >
                {`${account.label} ${account.phone}`}
              </Btn>
            ))}
          </View>
        </View>
      ) : (
        <View className="card stack">
          <Btn disabled={busy} onClick={() => void attempt(loginWithWechat)}>
            {busy ? '登录中…' : '微信一键登录'}
          </Btn>
        </View>
      )}

      {error ? (
        <View className="state state--error state--compact" data-testid="login-error">
          <Text className="state__message">登录失败：{error}</Text>
          {lastAttempt ? (
            <Btn variant="ghost small" disabled={busy} onClick={() => void attempt(lastAttempt)}>
              重试
            </Btn>
          ) : null}
        </View>
      ) : null}
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatDisplayTime, type ProxyLink } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { useAction } from '../hooks/use-action';

const METHOD_TEXT = { in_person: '已当面确认', paper: '已签纸质同意书' } as const;
type Method = keyof typeof METHOD_TEXT;

/** One pending link: staff record the consent an elder gave offline (home visit or signed form). */
export function ConsentCard({ link, onDone }: { link: ProxyLink; onDone: () => Promise<void> }) {
  const { busy, error, run } = useAction();

  const record = (method: Method) =>
    run(async () => {
      await call('staffRecordConsent', { params: { id: link.id }, body: { method } });
      void Taro.showToast({ title: '已记录', icon: 'success' });
      await onDone();
    });

  return (
    <View className="card stack" data-testid={`consent-card-${link.id}`}>
      <Text className="card__title">{`${link.elder?.name ?? link.elderPhone} ← ${link.proxy.name || '家属'}`}</Text>
      <Text>{`关系：${link.relationship}`}</Text>
      <Text className="muted">{`申请时间 ${formatDisplayTime(link.createdAt)}`}</Text>
      {error ? <Text className="state__message">{error}</Text> : null}
      <View className="row">
        {(Object.keys(METHOD_TEXT) as Method[]).map((method) => (
          <Btn
            key={method}
            variant={method === 'paper' ? 'ghost' : ''}
            disabled={busy}
            onClick={() => void record(method)}
            testId={`consent-${method}`}
          >
            {METHOD_TEXT[method]}
          </Btn>
        ))}
      </View>
    </View>
  );
}

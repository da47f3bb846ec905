import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { useApi } from '../hooks/use-api';
import { Page } from './Page';

interface ComingSoonProps {
  name: string;
  headline: string;
  description: string;
}

/**
 * A tab whose feature is not built yet: says what is coming, and whether the person can use it
 * once it opens (a verified household is needed).
 */
export function ComingSoon({ name, headline, description }: ComingSoonProps) {
  const me = useApi(() => call('me'), { refreshOnShow: true });
  const verified = me.data?.memberships.find((m) => m.status === 'approved');

  return (
    <Page name={name} state={me}>
      <View className="card stack">
        <Text className="card__title">{headline}</Text>
        <Text>{description}</Text>
        {verified ? (
          <Text className="muted">{`开放后将为「${verified.address}」提供服务。`}</Text>
        ) : (
          <>
            <Text className="muted">开放后仅向已认证住户提供，现在就可以先完成住户认证。</Text>
            <Btn variant="ghost" onClick={() => Taro.navigateTo({ url: PAGES.membership })}>
              去认证住户
            </Btn>
          </>
        )}
      </View>
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { Me } from 'shared';
import { PAGES } from 'shared';
import { tappable } from '../../components/a11y';
import { Btn } from '../../components/Btn';
import { startActingFor } from '../../session/session';

const STATUS_TEXT = { pending: '等待确认', granted: '已同意', revoked: '已解除' } as const;

/** 首页 card for family members: the elders they look after, and a shortcut to act for them. */
export function LinkedElders({ elders }: { elders: Me['elders'] }) {
  return (
    <View className="card stack" data-testid="home-elders">
      <View className="row">
        <Text className="card__title">家属代办</Text>
        <Text
          {...tappable()}
          className="muted tap-text"
          onClick={() => void Taro.navigateTo({ url: PAGES.family })}
        >
          管理 ›
        </Text>
      </View>
      {elders.map((e) => (
        <View key={e.linkId} className="row" data-testid={`home-elder-${e.elderId}`}>
          <Text>{`${e.name}（${e.relationship}）`}</Text>
          {e.consentStatus === 'granted' ? (
            <Btn
              variant="small"
              onClick={() => void startActingFor({ elderId: e.elderId, name: e.name })}
              testId="home-act-for"
            >
              为TA代办
            </Btn>
          ) : (
            <Text className="muted">{STATUS_TEXT[e.consentStatus]}</Text>
          )}
        </View>
      ))}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { MERCHANT_CATEGORY_LABELS, type MerchantSummary, PAGES } from 'shared';
import { tappable } from '../components/a11y';
import { deliveryTexts, minOrderText } from './format';

export function OpenTag({ open }: { open: boolean }) {
  return (
    <Text className={`tag ${open ? 'tag--open' : 'tag--closed'}`} data-testid="open-flag">
      {open ? '营业中' : '休息中'}
    </Text>
  );
}

/** 周边商家: one shop in the directory; tap opens its page. */
export function MerchantCard({ merchant: m }: { merchant: MerchantSummary }) {
  return (
    <View
      {...tappable()}
      className="card stack merchant-card"
      onClick={() => void Taro.navigateTo({ url: `${PAGES.shop}?id=${m.id}` })}
      data-testid={`merchant-${m.id}`}
    >
      <View className="row">
        <Text className="card__title merchant-card__name">{m.name}</Text>
        <OpenTag open={m.openNow} />
      </View>
      <Text className="muted">{`${MERCHANT_CATEGORY_LABELS[m.category]} · ${minOrderText(m.minOrderFen)}`}</Text>
      {m.description ? <Text className="muted">{m.description}</Text> : null}
      <Text className="muted">{deliveryTexts(m.delivery).join(' / ') || '暂不接单'}</Text>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type Merchant, PAGES } from 'shared';
import { ApiError, call } from '../api';
import { MERCHANT_STATUS_TAG, MERCHANT_STATUS_TEXT } from '../common/merchant-labels';
import { Btn } from '../components/Btn';
import { useApi } from '../hooks/use-api';
import './merchant.scss';
import './merchant-elder.scss';

/** My shop, or null when I have none yet (the BFF answers 404). */
export async function loadMyShop(): Promise<Merchant | null> {
  try {
    return await call('myShop');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function useMyShop() {
  return useApi(loadMyShop, { refreshOnShow: true });
}

/** Instead of a workspace page when there is no shop: the way to open one. */
export function NoShop() {
  return (
    <View className="card stack" data-testid="no-shop">
      <Text className="card__title">您还没有店铺</Text>
      <Text className="muted">提交开店申请，社区审核通过后即可上架商品、接单。</Text>
      <Btn onClick={() => void Taro.redirectTo({ url: PAGES.merchantApply })} testId="go-apply">
        我要开店
      </Btn>
    </View>
  );
}

/** Shop name and status on top of a workspace page; says so while staff have not verified it. */
export function ShopHeader({ shop }: { shop: Merchant }) {
  return (
    <View className="card stack" data-testid="shop-header">
      <View className="row">
        <Text className="card__title">{shop.name}</Text>
        <Text className={MERCHANT_STATUS_TAG[shop.status]} data-testid="shop-status">
          {MERCHANT_STATUS_TEXT[shop.status]}
        </Text>
      </View>
      {shop.status === 'pending' ? (
        <Text className="m-warn">店铺正在等待社区审核，通过后居民才能看到您的商品。</Text>
      ) : null}
      {shop.status === 'paused' ? (
        <Text className="m-warn">店铺已暂停营业，居民暂时不能下单。可在「营业设置」中恢复营业。</Text>
      ) : null}
      {shop.status === 'closed' ? <Text className="m-warn">店铺已关闭，如需重新营业请联系社区。</Text> : null}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect } from 'react';
import { localClock, MERCHANT_CATEGORY_LABELS, type Merchant } from 'shared';
import { call } from '../api';
import { ErrorState, LoadingState, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { useCursorList } from '../hooks/use-cursor-list';
import { CartBar } from '../market/CartBar';
import { deliveryTexts, formatWeeklyHours, minOrderText, upcomingClosedDates } from '../market/format';
import { OpenTag } from '../market/MerchantCard';
import { MoreButton } from '../market/MoreButton';
import { ProductCard } from '../market/ProductCard';
import { ServiceEntry } from '../market/ServiceEntry';
import { Recommendations } from '../pages/neighbors/Recommendations';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../pages/neighbors/neighbors.scss';
import '../pages/neighbors/neighbors-elder.scss';
import { tappable } from '../components/a11y';

/** One shop: who it is, when it is open, how it delivers, and its products (?id=). */
export default function ShopPage() {
  const id = useRouter().params.id ?? '';
  const shop = useApi(() => call('merchant', { params: { id } }), { key: id, refreshOnShow: true });

  useEffect(() => {
    if (shop.data) void Taro.setNavigationBarTitle({ title: shop.data.name });
  }, [shop.data]);

  return (
    <Page name="shop" state={shop}>
      {shop.data ? (
        <>
          <ShopHeader shop={shop.data} />
          <Recommendations merchantId={shop.data.id} />
          <CartBar />
          <ShopProducts shop={shop.data} />
        </>
      ) : null}
    </Page>
  );
}

function ShopHeader({ shop }: { shop: Merchant }) {
  const closed = upcomingClosedDates(shop.hours, localClock(new Date()).date);
  const modes = deliveryTexts(shop.delivery);
  return (
    <View className="card stack" data-testid="shop-header">
      <View className="row">
        <Text className="card__title merchant-card__name" data-testid="shop-name">
          {shop.name}
        </Text>
        <OpenTag open={shop.openNow} />
      </View>
      <Text className="muted">{`${MERCHANT_CATEGORY_LABELS[shop.category]} · ${minOrderText(shop.minOrderFen)}`}</Text>
      {shop.description ? <Text>{shop.description}</Text> : null}
      <View>
        <Text className="muted">营业时间</Text>
        {formatWeeklyHours(shop.hours).map((line) => (
          <Text key={line} className="shop-header__meta">
            {line}
          </Text>
        ))}
        {closed.length ? <Text className="shop-header__meta">{`休息日：${closed.join('、')}`}</Text> : null}
      </View>
      <View>
        <Text className="muted">配送方式</Text>
        <Text className="shop-header__meta">{modes.length ? modes.join(' / ') : '暂不接单'}</Text>
      </View>
      {shop.address ? <Text className="muted">{`地址：${shop.address}`}</Text> : null}
      {shop.contactPhone ? (
        <Text
          {...tappable()}
          className="muted tap-text"
          onClick={() => void Taro.makePhoneCall({ phoneNumber: shop.contactPhone }).catch(() => undefined)}
        >
          {`电话：${shop.contactPhone}`}
        </Text>
      ) : null}
      {shop.status === 'paused' ? <Text className="warn">商家暂停营业中，暂不接单。</Text> : null}
    </View>
  );
}

/** Shops whose work is a visit to the home: asked for through 报修, not put in a cart. */
const SERVICE_SHOPS = new Set<Merchant['category']>(['repairs', 'housekeeping']);

function ShopProducts({ shop }: { shop: Merchant }) {
  const list = useCursorList(
    (cursor) => call('products', { query: { merchantId: shop.id, cursor, limit: 20 } }),
    { key: shop.id, refreshOnShow: true },
  );
  if (list.data === undefined)
    return list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : <LoadingState />;
  return (
    <View data-testid="shop-products">
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
      {list.items.length === 0 && SERVICE_SHOPS.has(shop.category) ? (
        <ServiceEntry testId="shop-service-entry" />
      ) : list.items.length === 0 ? (
        <View className="card empty">
          <Text>商家还没有上架商品</Text>
        </View>
      ) : null}
      {list.items.map((p) => (
        <ProductCard key={p.id} product={p} merchantName={shop.name} inShop />
      ))}
      <MoreButton list={list} />
    </View>
  );
}

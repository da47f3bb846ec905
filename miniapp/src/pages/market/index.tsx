import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { MERCHANT_CATEGORIES, MERCHANT_CATEGORY_LABELS, type MerchantSummary } from 'shared';
import { call } from '../../api';
import { ErrorState, LoadingState, Page } from '../../components/Page';
import { useApi } from '../../hooks/use-api';
import { useCursorList } from '../../hooks/use-cursor-list';
import { CartBar } from '../../market/CartBar';
import { CategoryRail } from '../../market/CategoryRail';
import { useCartBadge } from '../../market/cart';
import { pickCommunity } from '../../market/community';
import { MerchantCard } from '../../market/MerchantCard';
import { MoreButton } from '../../market/MoreButton';
import { ProductCard } from '../../market/ProductCard';
import { SearchBox } from '../../market/SearchBox';
import { ServiceEntry } from '../../market/ServiceEntry';
import '../../market/market.scss';
import '../../market/market-elder.scss';
import { tappable } from '../../components/a11y';

/**
 * 集市: products of the shops serving my community (商品), and the shops themselves (周边商家).
 * The first screen is products: a title, the two views, search, one sideways row of categories
 * and the 家政维修 entry, then the list.
 */
export default function MarketPage() {
  useCartBadge();
  const base = useApi(
    async () => {
      const [me, communities] = await Promise.all([call('me'), call('communities')]);
      const community = pickCommunity(me, communities.items);
      const merchants = community
        ? (await call('merchants', { query: { communityId: community.id } })).items
        : [];
      return { community, merchants, verified: me.memberships.some((m) => m.status === 'approved') };
    },
    { refreshOnShow: true },
  );
  const [view, setView] = useState<'products' | 'merchants'>('products');
  const data = base.data;

  return (
    <Page name="market" state={base}>
      {data ? (
        <>
          <View className="row market-header">
            <Text className="card__title">{data.community ? `${data.community.name} · 集市` : '集市'}</Text>
          </View>
          <View className="segmented" data-testid="market-views">
            <View
              {...tappable({ pressed: view === 'products' })}
              className={`choice${view === 'products' ? ' choice--selected' : ''}`}
              onClick={() => setView('products')}
              data-testid="view-products"
            >
              <Text>商品</Text>
            </View>
            <View
              {...tappable({ pressed: view === 'merchants' })}
              className={`choice${view === 'merchants' ? ' choice--selected' : ''}`}
              onClick={() => setView('merchants')}
              data-testid="view-merchants"
            >
              <Text>周边商家</Text>
            </View>
          </View>
          <CartBar />
          {!data.verified ? (
            <Text className="muted market-note">完成住户认证后，才能选择送货上门和生鲜柜自取。</Text>
          ) : null}
          {!data.community ? (
            <View className="card empty">
              <Text>暂无开放集市的社区</Text>
            </View>
          ) : view === 'products' ? (
            <ProductBrowser communityId={data.community.id} merchants={data.merchants} />
          ) : (
            <MerchantDirectory communityId={data.community.id} />
          )}
        </>
      ) : null}
    </Page>
  );
}

function ProductBrowser({ communityId, merchants }: { communityId: string; merchants: MerchantSummary[] }) {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const chips = useApi(() => call('productCategories', { query: { communityId } }), {
    key: communityId,
  });
  const categories = (chips.data?.items ?? []).map((c) => c.name);
  const list = useCursorList(
    (cursor) =>
      call('products', {
        query: { communityId, category: category || undefined, q: q || undefined, cursor, limit: 20 },
      }),
    { key: `${communityId}|${category}|${q}`, refreshOnShow: true },
  );
  const names = new Map(merchants.map((m) => [m.id, m.name]));

  return (
    <View data-testid="product-browser">
      <SearchBox placeholder="搜索商品，如：青菜" onSearch={setQ} testId="product-search" />
      {categories.length > 0 ? (
        <CategoryRail
          items={[{ id: '', label: '全部' }, ...categories.map((c) => ({ id: c, label: c }))]}
          selected={category}
          onSelect={setCategory}
          testId="product-category"
          label="商品分类"
        />
      ) : null}
      {!q && !category ? <ServiceEntry /> : null}
      {list.data === undefined ? (
        list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} compact />
        ) : (
          <LoadingState />
        )
      ) : (
        <>
          {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
          {list.items.length === 0 ? (
            <View className="card empty">
              <Text>{q ? `没有找到「${q}」相关的商品` : '暂无商品'}</Text>
            </View>
          ) : null}
          {list.items.map((p) => (
            <ProductCard key={p.id} product={p} merchantName={names.get(p.merchantId) ?? ''} />
          ))}
          <MoreButton list={list} />
        </>
      )}
    </View>
  );
}

function MerchantDirectory({ communityId }: { communityId: string }) {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const list = useApi(
    () =>
      call('merchants', {
        query: {
          communityId,
          category: (category || undefined) as MerchantSummary['category'] | undefined,
          q: q || undefined,
        },
      }),
    { key: `${communityId}|${category}|${q}`, refreshOnShow: true },
  );
  const items = list.data?.items ?? [];

  return (
    <View data-testid="merchant-directory">
      <SearchBox placeholder="搜索商家名称" onSearch={setQ} testId="merchant-search" />
      <CategoryRail
        items={[
          { id: '', label: '全部' },
          ...MERCHANT_CATEGORIES.map((c) => ({ id: c, label: MERCHANT_CATEGORY_LABELS[c] })),
        ]}
        selected={category}
        onSelect={setCategory}
        testId="merchant-category"
        label="商家分类"
      />
      {list.data === undefined ? (
        list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} compact />
        ) : (
          <LoadingState />
        )
      ) : (
        <>
          {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
          {items.length === 0 ? (
            <View className="card empty">
              <Text>{q ? `没有找到「${q}」` : '这个分类下暂无商家'}</Text>
            </View>
          ) : null}
          {items.map((m) => (
            <MerchantCard key={m.id} merchant={m} />
          ))}
        </>
      )}
    </View>
  );
}

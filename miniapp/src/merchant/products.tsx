import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { MerchantProduct } from 'shared';
import { call } from '../api';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { isLowStock, ProductCard } from './ProductCard';
import { ProductForm } from './ProductForm';
import { NoShop, ShopHeader, useMyShop } from './shop';
import { EmptyCard } from './ui';

type Filter = 'all' | 'low' | 'off';
const FILTERS: { key: Filter; label: string; test: (p: MerchantProduct) => boolean }[] = [
  { key: 'all', label: '全部', test: () => true },
  { key: 'low', label: '库存紧张', test: (p) => p.onShelf && isLowStock(p) },
  { key: 'off', label: '已下架', test: (p) => !p.onShelf },
];

/** 商品管理: my products with stock, price and shelf edited in place; add or edit one in a form. */
export default function MerchantProductsPage() {
  const shop = useMyShop();
  const list = useApi(() => call('merchantProducts'), { refreshOnShow: true });
  // Saved rows replace the loaded ones until the next reload, so a save shows at once.
  const [saved, setSaved] = useState<Record<string, MerchantProduct>>({});
  const [filter, setFilter] = useState<Filter>('all');
  const [editing, setEditing] = useState<'new' | MerchantProduct | null>(null);

  const reload = async () => {
    await list.reload();
    setSaved({});
  };
  const products = (list.data?.items ?? []).map((p) => saved[p.id] ?? p);
  const shown = products.filter(FILTERS.find((f) => f.key === filter)!.test);
  const lowCount = products.filter(FILTERS[1]!.test).length;
  const knownCategories = [...new Set(products.map((p) => p.category))];

  return (
    <Page name="merchant-products" state={shop}>
      {shop.data === null ? <NoShop /> : null}
      {shop.data ? (
        <>
          <ShopHeader shop={shop.data} />
          {editing ? (
            <ProductForm
              key={editing === 'new' ? 'new' : editing.id}
              product={editing === 'new' ? undefined : editing}
              knownCategories={knownCategories}
              onCancel={() => setEditing(null)}
              onSaved={async () => {
                setEditing(null);
                await reload();
              }}
            />
          ) : (
            <Btn onClick={() => setEditing('new')} testId="product-add">
              添加商品
            </Btn>
          )}
          <View className="m-tabs" style={{ marginTop: '12px' }} data-testid="product-filter">
            {FILTERS.map((f) => (
              <View
                {...tappable({ pressed: f.key === filter })}
                key={f.key}
                className={`choice m-tab${f.key === filter ? ' choice--selected' : ''}`}
                onClick={() => setFilter(f.key)}
              >
                <Text>{f.label}</Text>
                {f.key === 'low' && lowCount > 0 ? <Text className="badge">{String(lowCount)}</Text> : null}
              </View>
            ))}
          </View>
          <AsyncContent state={{ ...list, reload }}>
            {shown.length === 0 ? (
              <EmptyCard
                text={
                  products.length === 0 ? '还没有商品，点击「添加商品」上架第一件吧' : '没有符合条件的商品'
                }
              />
            ) : null}
            {shown.map((p) => (
              <ProductCard
                key={p.id}
                product={p}
                onChanged={(next) => setSaved((s) => ({ ...s, [next.id]: next }))}
                onEdit={() => {
                  setEditing(p);
                  void Taro.pageScrollTo({ scrollTop: 0, duration: 200 });
                }}
              />
            ))}
          </AsyncContent>
        </>
      ) : null}
    </Page>
  );
}

import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatYuan, MAX_PRICE_FEN, type MerchantProduct, TEMPERATURE_LABELS } from 'shared';
import { call } from '../api';
import { imageSrc } from '../api/upload';
import { Btn } from '../components/Btn';
import { useAction } from '../hooks/use-action';
import { fieldErrors, merchantErrorText } from './errors';
import { fenToYuanInput, parseCount, parseYuan } from './money-input';
import { PRODUCT_FIELD_HINTS, SIZE_OPTIONS } from './product-form-model';
import { Field, NumberInput } from './ui';
import '../components/image-cover.scss';

export const isLowStock = (p: MerchantProduct) => p.stock <= p.lowStockThreshold;

interface Props {
  product: MerchantProduct;
  onChanged: (product: MerchantProduct) => void;
  onEdit: () => void;
}

/** One product: its state at a glance, with stock, price and 上架/下架 editable in place. */
export function ProductCard({ product: p, onChanged, onEdit }: Props) {
  const [stock, setStock] = useState(String(p.stock));
  const [price, setPrice] = useState(fenToYuanInput(p.priceFen));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, runningKey, error, run } = useAction(merchantErrorText);

  // What the server says wins once it answers (after a save, or a reload with someone's order).
  useEffect(() => {
    setStock(String(p.stock));
    setPrice(fenToYuanInput(p.priceFen));
  }, [p.stock, p.priceFen]);

  const stockParsed = parseCount(stock, { min: 0, max: 1_000_000 });
  const priceParsed = parseYuan(price, { max: MAX_PRICE_FEN });
  const dirty =
    (stockParsed.ok ? stockParsed.value !== p.stock : stock !== String(p.stock)) ||
    (priceParsed.ok ? priceParsed.value !== p.priceFen : price !== fenToYuanInput(p.priceFen));

  async function patch(key: string, body: Parameters<typeof call<'updateProduct'>>[1]['body'], done: string) {
    const saved = await run(async () => {
      try {
        return await call('updateProduct', { params: { id: p.id }, body });
      } catch (e) {
        setErrors(fieldErrors(e, PRODUCT_FIELD_HINTS));
        throw e;
      }
    }, key);
    if (saved) {
      setErrors({});
      void Taro.showToast({ title: done, icon: 'success' });
      onChanged(saved);
    }
  }

  async function saveQuick() {
    const next: Record<string, string> = {};
    if (!stockParsed.ok) next.stock = stockParsed.error;
    if (!priceParsed.ok) next.priceFen = priceParsed.error;
    else if (priceParsed.value < 1) next.priceFen = '售价至少 0.01 元';
    else if (p.originalPriceFen !== null && priceParsed.value > p.originalPriceFen)
      next.priceFen = `售价不能高于原价 ${formatYuan(p.originalPriceFen)}，请先在「编辑」中修改原价`;
    setErrors(next);
    if (Object.keys(next).length || !stockParsed.ok || !priceParsed.ok) return;
    const body: { stock?: number; priceFen?: number } = {};
    if (stockParsed.value !== p.stock) body.stock = stockParsed.value;
    if (priceParsed.value !== p.priceFen) body.priceFen = priceParsed.value;
    if (Object.keys(body).length === 0) return;
    await patch('quick', body, '已保存');
  }

  const low = isLowStock(p);
  return (
    <View className="card stack" data-testid={`merchant-product-${p.id}`}>
      <View className="row">
        {p.images[0] ? (
          <Image
            className="m-product-thumb img-cover"
            src={imageSrc(p.images[0].thumbUrl)}
            mode="aspectFill"
            lazyLoad
            ariaLabel={p.name}
            data-testid="merchant-product-image"
          />
        ) : (
          <Text className="m-product-thumb m-product-thumb--none" data-testid="merchant-product-no-image">
            无图
          </Text>
        )}
        <Text className="card__title m-product-name">{p.name}</Text>
        {!p.onShelf ? (
          <Text className="tag" data-testid="product-off-shelf">
            已下架
          </Text>
        ) : p.stock === 0 ? (
          <Text className="tag tag--rejected">已售罄</Text>
        ) : low ? (
          <Text className="tag tag--pending">库存紧张</Text>
        ) : (
          <Text className="tag tag--approved">在售</Text>
        )}
      </View>
      <Text className="m-p">
        {`${formatYuan(p.priceFen)}/${p.unit}`}
        {p.originalPriceFen !== null ? (
          <Text className="m-strike">{` ${formatYuan(p.originalPriceFen)}`}</Text>
        ) : null}
      </Text>
      <Text className="muted">
        {`${p.category} · ${TEMPERATURE_LABELS[p.temperature]} · ${SIZE_OPTIONS.find((s) => s.value === p.sizeHint)?.label ?? p.sizeHint}${p.perOrderLimit ? ` · 每单限购 ${p.perOrderLimit}` : ''}`}
      </Text>
      <Text className="m-p" data-testid="product-stock-text">{`库存 ${p.stock}${p.unit}`}</Text>
      {low ? (
        <Text className="m-warn" data-testid="low-stock">
          {p.stock === 0 ? '已售罄，请及时补货' : `库存不多了（预警值 ${p.lowStockThreshold}），请及时补货`}
        </Text>
      ) : null}
      <View className="m-quick">
        <Field label="库存" error={errors.stock}>
          <NumberInput
            kind="count"
            maxLength={7}
            placeholder="库存"
            value={stock}
            onChange={setStock}
            invalid={Boolean(errors.stock)}
            testId="quick-stock"
          />
        </Field>
        <Field label="售价（元）" error={errors.priceFen}>
          <NumberInput
            kind="money"
            placeholder="售价"
            value={price}
            onChange={setPrice}
            invalid={Boolean(errors.priceFen)}
            testId="quick-price"
          />
        </Field>
      </View>
      {error ? <Text className="state__message">{error}</Text> : null}
      <View className="m-actions">
        <Btn disabled={busy || !dirty} onClick={() => void saveQuick()} testId="quick-save">
          {runningKey === 'quick' ? '保存中…' : '保存'}
        </Btn>
        <Btn
          variant="ghost"
          disabled={busy}
          onClick={() => void patch('shelf', { onShelf: !p.onShelf }, p.onShelf ? '已下架' : '已上架')}
          testId="toggle-shelf"
        >
          {p.onShelf ? '下架' : '上架'}
        </Btn>
        <Btn variant="ghost" disabled={busy} onClick={onEdit} testId="product-edit">
          编辑
        </Btn>
      </View>
    </View>
  );
}

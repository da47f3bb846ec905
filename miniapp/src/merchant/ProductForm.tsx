import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { type MerchantProduct, PRODUCT_MAX_IMAGES, TEMPERATURE_LABELS, TEMPERATURES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { type ChosenPhoto, PhotoPicker } from '../components/PhotoPicker';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { fieldErrors, merchantErrorText } from './errors';
import {
  CATEGORY_PRESETS,
  changedFields,
  DRAFT_FIELD,
  draftOf,
  EMPTY_DRAFT,
  PRODUCT_FIELD_HINTS,
  type ProductDraft,
  parseDraft,
  SIZE_OPTIONS,
  UNIT_PRESETS,
} from './product-form-model';
import { Chips, Field, NumberInput } from './ui';

interface Props {
  /** Edit this product (PATCH what changed); without it the form adds a new one. */
  product?: MerchantProduct;
  /** Categories the shop already uses, offered first. */
  knownCategories: string[];
  onSaved: (product: MerchantProduct) => Promise<void> | void;
  onCancel: () => void;
}

/** 添加商品 / 编辑商品: every field with its own error line; prices typed in yuan, sent in fen. */
export function ProductForm({ product, knownCategories, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState<ProductDraft>(product ? draftOf(product) : EMPTY_DRAFT);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [photos, setPhotos] = useState<ChosenPhoto[]>(product?.images ?? []);
  const [uploading, setUploading] = useState(false);
  const { busy, error, setError, run } = useAction(merchantErrorText);
  const choosePhotos = (next: ChosenPhoto[]) => {
    setPhotos(next);
    set(
      'imageIds',
      next.map((p) => p.id),
    );
  };

  const set = <K extends keyof ProductDraft>(key: K, value: ProductDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    const field = DRAFT_FIELD[key];
    if (errors[field]) setErrors(({ [field]: _gone, ...rest }) => rest);
  };
  const err = (key: keyof ProductDraft) => errors[DRAFT_FIELD[key]];

  async function submit() {
    const parsed = parseDraft(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setError('请按提示修改标红的项目');
      return;
    }
    setErrors({});
    const saved = await run(async () => {
      try {
        if (product) {
          const changes = changedFields(product, parsed.body);
          if (Object.keys(changes).length === 0) return product;
          return await call('updateProduct', { params: { id: product.id }, body: changes });
        }
        return await call('createProduct', { body: parsed.body });
      } catch (e) {
        setErrors(fieldErrors(e, PRODUCT_FIELD_HINTS));
        throw e;
      }
    });
    if (saved) {
      void Taro.showToast({ title: product ? '已保存' : '已添加', icon: 'success' });
      if (!product) {
        setDraft(EMPTY_DRAFT);
        setPhotos([]);
      }
      await onSaved(saved);
    }
  }

  const categories = [...new Set([...knownCategories, ...CATEGORY_PRESETS])];

  return (
    <View className="card stack" data-testid="product-form">
      <Text className="card__title">{product ? `编辑「${product.name}」` : '添加商品'}</Text>
      <Field label="商品名称" error={err('name')} testId="field-name">
        <TextInput
          placeholder="如：本地小白菜"
          maxLength={40}
          value={draft.name}
          onChange={(v) => set('name', v)}
          testId="product-name"
        />
      </Field>
      <Field label="分类" error={err('category')} testId="field-category">
        <Chips
          options={categories.map((c) => ({ value: c, label: c }))}
          selected={[draft.category]}
          onToggle={(c) => set('category', c)}
        />
        <TextInput
          placeholder="或填写其他分类"
          maxLength={20}
          value={draft.category}
          onChange={(v) => set('category', v)}
          testId="product-category"
        />
      </Field>
      <Field label="单位" error={err('unit')} testId="field-unit">
        <Chips
          options={UNIT_PRESETS.map((u) => ({ value: u, label: u }))}
          selected={[draft.unit]}
          onToggle={(u) => set('unit', u)}
        />
        <TextInput
          placeholder="或填写其他单位"
          maxLength={8}
          value={draft.unit}
          onChange={(v) => set('unit', v)}
          testId="product-unit"
        />
      </Field>
      <Field label="售价（元）" error={err('price')} testId="field-price">
        <NumberInput
          kind="money"
          placeholder="如 12.9"
          value={draft.price}
          onChange={(v) => set('price', v)}
          invalid={Boolean(err('price'))}
          testId="product-price"
        />
      </Field>
      <Field label="原价（元，可不填）" error={err('originalPrice')} testId="field-original-price">
        <NumberInput
          kind="money"
          placeholder="划线价，不低于售价"
          value={draft.originalPrice}
          onChange={(v) => set('originalPrice', v)}
          invalid={Boolean(err('originalPrice'))}
          testId="product-original-price"
        />
      </Field>
      <Field label="库存" error={err('stock')} testId="field-stock">
        <NumberInput
          kind="count"
          maxLength={7}
          placeholder="现有数量"
          value={draft.stock}
          onChange={(v) => set('stock', v)}
          invalid={Boolean(err('stock'))}
          testId="product-stock"
        />
      </Field>
      <Field label="每单限购（可不填）" error={err('perOrderLimit')} testId="field-limit">
        <NumberInput
          kind="count"
          maxLength={3}
          placeholder="不限"
          value={draft.perOrderLimit}
          onChange={(v) => set('perOrderLimit', v)}
          invalid={Boolean(err('perOrderLimit'))}
          testId="product-limit"
        />
      </Field>
      <Field label="库存预警值" error={err('lowStockThreshold')} testId="field-threshold">
        <NumberInput
          kind="count"
          maxLength={7}
          placeholder="库存不高于此数时提醒"
          value={draft.lowStockThreshold}
          onChange={(v) => set('lowStockThreshold', v)}
          invalid={Boolean(err('lowStockThreshold'))}
          testId="product-threshold"
        />
      </Field>
      <Field label="储存温度" error={err('temperature')}>
        <Chips
          options={TEMPERATURES.map((t) => ({ value: t, label: TEMPERATURE_LABELS[t] }))}
          selected={[draft.temperature]}
          onToggle={(t) => set('temperature', t)}
          testId="product-temperature"
        />
      </Field>
      <Field label="包装大小（生鲜柜格口）" error={err('sizeHint')}>
        <Chips
          options={SIZE_OPTIONS}
          selected={[draft.sizeHint]}
          onToggle={(s) => set('sizeHint', s)}
          testId="product-size"
        />
      </Field>
      <Field label="商品图片（可不填，第一张显示在商品卡片上）" error={err('imageIds')}>
        <PhotoPicker
          photos={photos}
          onChange={choosePhotos}
          onBusy={setUploading}
          max={PRODUCT_MAX_IMAGES}
          purpose="product"
          hint="居民在集市里都能看到"
          testId="product-photos"
        />
      </Field>
      <Field label="描述（可不填）" error={err('description')}>
        <TextInput
          placeholder="产地、规格等"
          maxLength={500}
          value={draft.description}
          onChange={(v) => set('description', v)}
          testId="product-description"
        />
      </Field>
      {error ? (
        <Text className="state__message" data-testid="product-form-error">
          {error}
        </Text>
      ) : null}
      <View className="m-actions">
        <Btn disabled={busy || uploading} onClick={() => void submit()} testId="product-submit">
          {busy ? '保存中…' : uploading ? '图片上传中…' : product ? '保存修改' : '添加商品'}
        </Btn>
        <Btn variant="ghost" disabled={busy} onClick={onCancel}>
          取消
        </Btn>
      </View>
    </View>
  );
}

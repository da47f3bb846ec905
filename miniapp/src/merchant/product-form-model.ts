import {
  CreateProductBody,
  MAX_PRICE_FEN,
  type MerchantProduct,
  PRODUCT_MAX_IMAGES,
  type SizeHint,
  type Temperature,
} from 'shared';
import type { z } from 'zod';
import { issuesToFieldErrors } from './errors';
import { fenToYuanInput, parseCount, parseOptionalCount, parseOptionalYuan, parseYuan } from './money-input';
import { parseStock } from './stock-input';

/** The add/edit product form as typed: every number still a string until submit. */
export interface ProductDraft {
  name: string;
  category: string;
  unit: string;
  description: string;
  price: string;
  originalPrice: string;
  stock: string;
  perOrderLimit: string;
  lowStockThreshold: string;
  temperature: Temperature;
  sizeHint: SizeHint;
  /** Uploaded product pictures (purpose `product`), the first one shown on the card. */
  imageIds: string[];
}

export const EMPTY_DRAFT: ProductDraft = {
  name: '',
  category: '',
  unit: '',
  description: '',
  price: '',
  originalPrice: '',
  stock: '',
  perOrderLimit: '',
  lowStockThreshold: '5',
  temperature: 'ambient',
  sizeHint: 'S',
  imageIds: [],
};

export function draftOf(p: MerchantProduct): ProductDraft {
  return {
    name: p.name,
    category: p.category,
    unit: p.unit,
    description: p.description,
    price: fenToYuanInput(p.priceFen),
    originalPrice: p.originalPriceFen === null ? '' : fenToYuanInput(p.originalPriceFen),
    stock: String(p.stock),
    perOrderLimit: p.perOrderLimit === null ? '' : String(p.perOrderLimit),
    lowStockThreshold: String(p.lowStockThreshold),
    temperature: p.temperature,
    sizeHint: p.sizeHint,
    imageIds: p.images.map((i) => i.id),
  };
}

/** Chinese text per API field, for the envelope's details (the server writes English). */
export const PRODUCT_FIELD_HINTS: Record<string, string> = {
  name: '请填写商品名称（最多 40 字）',
  category: '请填写分类（最多 20 字）',
  unit: '请填写单位，如 斤、份（最多 8 字）',
  description: '描述最多 500 字',
  priceFen: `请填写正确的售价，0.01 到 ${MAX_PRICE_FEN / 100} 元`,
  originalPriceFen: '原价不能低于售价',
  stock: '库存应为 0 到 1000000 的整数',
  perOrderLimit: '每单限购应为 1 到 999 的整数',
  lowStockThreshold: '预警值应为 0 到 1000000 的整数',
  temperature: '请选择储存温度',
  sizeHint: '请选择包装大小',
  images: '图片地址不正确',
  imageIds: `最多 ${PRODUCT_MAX_IMAGES} 张图片；有图片无法使用时请删除后重新上传`,
  onShelf: '上下架状态不正确',
  sortOrder: '排序应为 0 到 10000 的整数',
};

/** Which API field each draft field feeds: errors are keyed by the API's names. */
export const DRAFT_FIELD: Record<keyof ProductDraft, string> = {
  name: 'name',
  category: 'category',
  unit: 'unit',
  description: 'description',
  price: 'priceFen',
  originalPrice: 'originalPriceFen',
  stock: 'stock',
  perOrderLimit: 'perOrderLimit',
  lowStockThreshold: 'lowStockThreshold',
  temperature: 'temperature',
  sizeHint: 'sizeHint',
  imageIds: 'imageIds',
};

export type ProductBody = z.input<typeof CreateProductBody>;

/** Parses the draft into a CreateProductBody, or the problems keyed by API field name. */
export function parseDraft(
  d: ProductDraft,
): { ok: true; body: ProductBody } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const price = parseYuan(d.price, { max: MAX_PRICE_FEN });
  if (!price.ok) errors.priceFen = price.error;
  else if (price.value < 1) errors.priceFen = '售价至少 0.01 元';
  const original = parseOptionalYuan(d.originalPrice, { max: MAX_PRICE_FEN });
  if (!original.ok) errors.originalPriceFen = original.error;
  const stock = parseStock(d.stock);
  if (!stock.ok) errors.stock = stock.error;
  const limit = parseOptionalCount(d.perOrderLimit, { min: 1, max: 999 });
  if (!limit.ok) errors.perOrderLimit = limit.error;
  const threshold = parseCount(d.lowStockThreshold, { min: 0, max: 1_000_000 });
  if (!threshold.ok) errors.lowStockThreshold = threshold.error;

  const body: ProductBody = {
    name: d.name.trim(),
    category: d.category.trim(),
    unit: d.unit.trim(),
    description: d.description.trim(),
    priceFen: price.ok ? price.value : 0,
    originalPriceFen: original.ok ? original.value : null,
    stock: stock.ok ? stock.value : 0,
    perOrderLimit: limit.ok ? limit.value : null,
    lowStockThreshold: threshold.ok ? threshold.value : 0,
    temperature: d.temperature,
    sizeHint: d.sizeHint,
    imageIds: d.imageIds,
  };
  const checked = CreateProductBody.safeParse(body);
  if (!checked.success) {
    const fromSchema = issuesToFieldErrors(checked.error.issues, PRODUCT_FIELD_HINTS);
    for (const [field, text] of Object.entries(fromSchema)) errors[field] ??= text;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

/** Only what changed, for PATCH. */
export function changedFields(before: MerchantProduct, body: ProductBody): Partial<ProductBody> {
  const out: Partial<ProductBody> = {};
  for (const key of Object.keys(body) as (keyof ProductBody)[]) {
    if (key === 'imageIds') continue;
    if (body[key] !== undefined && body[key] !== before[key as keyof MerchantProduct])
      (out as Record<string, unknown>)[key] = body[key];
  }
  // The pictures as a list: a new order (which picture leads) is a change too.
  const ids = body.imageIds ?? [];
  if ((before.images ?? []).map((i) => i.id).join() !== ids.join()) out.imageIds = ids;
  return out;
}

export const SIZE_OPTIONS: { value: SizeHint; label: string }[] = [
  { value: 'S', label: '小件 S' },
  { value: 'M', label: '中件 M' },
  { value: 'L', label: '大件 L' },
];

export const UNIT_PRESETS = ['斤', '公斤', '份', '个', '盒', '袋', '把', '瓶'];
export const CATEGORY_PRESETS = [
  '蔬菜',
  '水果',
  '肉禽蛋',
  '水产海鲜',
  '粮油米面',
  '乳品烘焙',
  '熟食',
  '日用百货',
];

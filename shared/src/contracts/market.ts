import { z } from 'zod';
import { merchantFlow } from '../state/flows';
import { CursorQuery, Id, Phone } from './common';
import { ImageRef } from './uploads';

/**
 * ¥10,000 a unit. The caps here sit far above anything a neighbourhood shop sells or charges and
 * far below what overflows a 32-bit integer of fen (a full line, 999 at the top price, still fits);
 * the order total has its own cap, MAX_ORDER_TOTAL_FEN.
 */
export const MAX_PRICE_FEN = 1_000_000;
/** ¥100 for home delivery. */
export const MAX_DELIVERY_FEE_FEN = 10_000;
/** ¥1,000 minimum order. */
export const MAX_MIN_ORDER_FEN = 100_000;
export const MAX_STOCK = 1_000_000;
/** Of one product in one order, and so the highest per-order limit a shop may set. */
export const MAX_LINE_QUANTITY = 999;
/** Pictures of one product: the first is its card picture, the rest show on its page. */
export const PRODUCT_MAX_IMAGES = 5;
const ProductImageIds = z
  .array(Id)
  .max(PRODUCT_MAX_IMAGES, `at most ${PRODUCT_MAX_IMAGES} images`)
  .refine((ids) => new Set(ids).size === ids.length, 'each image once');

export const MERCHANT_CATEGORIES = [
  'produce',
  'meals',
  'grocery',
  'bakery',
  'housekeeping',
  'repairs',
] as const;
export const MerchantCategory = z.enum(MERCHANT_CATEGORIES);
export type MerchantCategory = z.infer<typeof MerchantCategory>;
export const MERCHANT_CATEGORY_LABELS: Record<MerchantCategory, string> = {
  produce: '生鲜',
  meals: '餐饮',
  grocery: '超市',
  bakery: '烘焙',
  housekeeping: '家政',
  repairs: '维修',
};

export const MerchantStatus = z.enum(merchantFlow.states);
export type MerchantStatus = z.infer<typeof MerchantStatus>;

export const TEMPERATURES = ['ambient', 'chilled', 'frozen'] as const;
export const Temperature = z.enum(TEMPERATURES);
export type Temperature = z.infer<typeof Temperature>;
export const TEMPERATURE_LABELS: Record<Temperature, string> = {
  ambient: '常温',
  chilled: '冷藏',
  frozen: '冷冻',
};
export const SizeHint = z.enum(['S', 'M', 'L']);
export type SizeHint = z.infer<typeof SizeHint>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
const LocalDate = z.iso.date();

export const OpeningPeriod = z.object({ day: z.number().int().min(1).max(7), open: HHMM, close: HHMM });
export const BusinessHours = z.object({
  weekly: z.array(OpeningPeriod).max(28),
  closedDates: z.array(LocalDate).max(100),
});
/** Weekly periods on ISO weekdays (1 = Monday … 7 = Sunday) in local time, plus closed local dates. */
export type BusinessHours = z.infer<typeof BusinessHours>;

export const DeliveryModes = z.object({
  shopPickup: z.boolean(),
  /** Delivered by the merchant to households within this radius; null when not offered. */
  home: z
    .object({
      radiusM: z.number().int().min(100).max(20_000),
      feeFen: z.number().int().min(0).max(MAX_DELIVERY_FEE_FEN),
    })
    .nullable(),
  /** Delivery batches to the compound's smart lockers (the lockers work uses it). */
  locker: z.boolean(),
});
export type DeliveryModes = z.infer<typeof DeliveryModes>;

export const MerchantSummary = z.object({
  id: Id,
  name: z.string(),
  category: MerchantCategory,
  description: z.string(),
  logoUrl: z.string().nullable(),
  status: MerchantStatus,
  openNow: z.boolean(),
  minOrderFen: z.number().int(),
  delivery: DeliveryModes,
});
export type MerchantSummary = z.infer<typeof MerchantSummary>;

export const Merchant = MerchantSummary.extend({
  contactPhone: z.string(),
  address: z.string(),
  hours: BusinessHours,
  communityIds: z.array(Id),
  /** Refund the resident when an order left in a locker past its window is taken back. */
  refundsOverdue: z.boolean(),
});
export type Merchant = z.infer<typeof Merchant>;

export const MerchantQuery = z.object({
  communityId: Id.optional(),
  category: MerchantCategory.optional(),
  q: z.string().trim().max(40).optional(),
});
export const MerchantList = z.object({ items: z.array(MerchantSummary) });

const Name = z.string().trim().min(1, 'must not be empty').max(40);
const Fen = z.number().int('must be whole fen').min(0);
const PriceFen = Fen.min(1, 'must be at least 1 fen').max(MAX_PRICE_FEN, `at most ${MAX_PRICE_FEN} fen`);
const OriginalPriceFen = Fen.max(MAX_PRICE_FEN, `at most ${MAX_PRICE_FEN} fen`);
const MinOrderFen = Fen.max(MAX_MIN_ORDER_FEN, `at most ${MAX_MIN_ORDER_FEN} fen`);
const Stock = z.number().int().min(0).max(MAX_STOCK);
const PerOrderLimit = z.number().int().min(1).max(MAX_LINE_QUANTITY);
const Url = z.url({ protocol: /^https?$/ }).max(500);

/** A shop's own fields, without defaults: a PATCH must not fill in what it did not name. */
const MerchantFields = z.object({
  name: Name,
  category: MerchantCategory,
  description: z.string().trim().max(500),
  logoUrl: Url.nullable(),
  contactPhone: Phone,
  address: z.string().trim().min(1).max(100),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  hours: BusinessHours,
  communityIds: z.array(Id).min(1).max(20),
  delivery: DeliveryModes,
  minOrderFen: MinOrderFen,
  refundsOverdue: z.boolean(),
});

/** A new shop; it sells only after staff verify it. */
export const ApplyMerchantBody = MerchantFields.extend({
  description: MerchantFields.shape.description.default(''),
  logoUrl: MerchantFields.shape.logoUrl.default(null),
  minOrderFen: MinOrderFen.default(0),
  refundsOverdue: z.boolean().default(false),
});

export const UpdateMerchantBody = MerchantFields.omit({ communityIds: true })
  .partial()
  .extend({ status: z.enum(['open', 'paused']).optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const Product = z.object({
  id: Id,
  merchantId: Id,
  name: z.string(),
  category: z.string(),
  unit: z.string(),
  description: z.string(),
  priceFen: z.number().int(),
  originalPriceFen: z.number().int().nullable(),
  stock: z.number().int(),
  perOrderLimit: z.number().int().nullable(),
  temperature: Temperature,
  sizeHint: SizeHint,
  /** Uploads of purpose `product`, in the merchant's order; public URLs that caches may keep. */
  images: z.array(ImageRef),
  onShelf: z.boolean(),
  sortOrder: z.number().int(),
  soldOut: z.boolean(),
  /** The shop is not taking orders right now (closed hours, paused). */
  shopOpen: z.boolean(),
});
export type Product = z.infer<typeof Product>;

/** What a merchant sees of their own product. */
export const MerchantProduct = Product.extend({ lowStockThreshold: z.number().int() });
export type MerchantProduct = z.infer<typeof MerchantProduct>;

export const ProductQuery = CursorQuery.extend({
  communityId: Id.optional(),
  merchantId: Id.optional(),
  category: z.string().trim().max(20).optional(),
  q: z.string().trim().max(40).optional(),
});
export const ProductPage = z.object({ items: z.array(Product), nextCursor: z.string().nullable() });

/** The categories on sale, for the filter chips: all of them, not just those on the first page. */
export const ProductCategoryQuery = z.object({ communityId: Id.optional(), merchantId: Id.optional() });
export const ProductCategoryList = z.object({
  items: z.array(z.object({ name: z.string(), count: z.number().int() })),
});

export const CreateProductBody = z
  .object({
    name: Name,
    category: z.string().trim().min(1).max(20),
    unit: z.string().trim().min(1).max(8),
    description: z.string().trim().max(500).default(''),
    priceFen: PriceFen,
    originalPriceFen: OriginalPriceFen.nullable().default(null),
    stock: Stock,
    perOrderLimit: PerOrderLimit.nullable().default(null),
    lowStockThreshold: Stock.default(5),
    temperature: Temperature.default('ambient'),
    sizeHint: SizeHint.default('S'),
    /** Ids of the merchant's own `product` uploads, not yet used elsewhere. */
    imageIds: ProductImageIds.default([]),
    onShelf: z.boolean().default(true),
    sortOrder: z.number().int().min(0).max(10_000).default(0),
  })
  .refine((b) => b.originalPriceFen === null || b.originalPriceFen >= b.priceFen, {
    path: ['originalPriceFen'],
    message: 'must not be below the price',
  });

export const UpdateProductBody = z
  .object({
    name: Name,
    category: z.string().trim().min(1).max(20),
    unit: z.string().trim().min(1).max(8),
    description: z.string().trim().max(500),
    priceFen: PriceFen,
    originalPriceFen: OriginalPriceFen.nullable(),
    stock: Stock,
    perOrderLimit: PerOrderLimit.nullable(),
    lowStockThreshold: Stock,
    temperature: Temperature,
    sizeHint: SizeHint,
    /** Replaces the whole list: a picture left out is no longer shown. */
    imageIds: ProductImageIds,
    onShelf: z.boolean(),
    sortOrder: z.number().int().min(0).max(10_000),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const MerchantProductList = z.object({ items: z.array(MerchantProduct) });

/** What staff see of a shop waiting for verification. */
export const StaffMerchantList = z.object({
  items: z.array(Merchant.extend({ ownerName: z.string(), ownerPhoneMasked: z.string() })),
});
export const StaffMerchantQuery = z.object({ status: MerchantStatus.default('pending') });

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { DEFAULT_HOURS, setPeriodTime, toWeek } from '../common/hours-model';
import { parseApply } from './apply-model';
import { deliveryDraftOf, parseDelivery, toggleMode } from './delivery-model';
import { fieldErrors, merchantErrorText } from './errors';
import { changedFields, EMPTY_DRAFT, PRODUCT_FIELD_HINTS, parseDraft } from './product-form-model';

const good = { ...EMPTY_DRAFT, name: '本地小白菜', category: '蔬菜', unit: '斤', price: '2.9', stock: '100' };

describe('product draft', () => {
  it('turns yuan strings into fen and counts into numbers', () => {
    const r = parseDraft({ ...good, originalPrice: '3.5', perOrderLimit: '5', temperature: 'chilled' });
    expect(r).toEqual({
      ok: true,
      body: expect.objectContaining({
        name: '本地小白菜',
        priceFen: 290,
        originalPriceFen: 350,
        stock: 100,
        perOrderLimit: 5,
        lowStockThreshold: 5,
        temperature: 'chilled',
        sizeHint: 'S',
      }),
    });
  });

  it('reports each bad field under its API name', () => {
    const r = parseDraft({
      ...EMPTY_DRAFT,
      price: '1.234',
      stock: '-1',
      perOrderLimit: '0',
      originalPrice: '',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      name: PRODUCT_FIELD_HINTS.name,
      category: PRODUCT_FIELD_HINTS.category,
      unit: PRODUCT_FIELD_HINTS.unit,
      priceFen: '金额最多两位小数',
      // A minus sign is refused with its own message (it used to be dropped, turning −1 into 1).
      stock: '库存不能是负数，卖完了请填 0',
      perOrderLimit: '不能小于 1',
    });
    const half = parseDraft({ ...EMPTY_DRAFT, stock: '1.5' });
    expect(half.ok).toBe(false);
    if (!half.ok) expect(half.errors.stock).toBe('请输入整数');
  });

  it('refuses an original price below the price, and a zero price', () => {
    const below = parseDraft({ ...good, originalPrice: '2' });
    expect(below.ok ? null : below.errors.originalPriceFen).toBe('原价不能低于售价');
    const zero = parseDraft({ ...good, price: '0' });
    expect(zero.ok ? null : zero.errors.priceFen).toBe('售价至少 0.01 元');
  });

  it('sends only what changed on edit', () => {
    const r = parseDraft(good);
    if (!r.ok) throw new Error('draft should parse');
    const before = {
      ...r.body,
      id: 'x',
      merchantId: 'm',
      description: '',
      originalPriceFen: null,
      perOrderLimit: null,
      lowStockThreshold: 5,
      temperature: 'ambient' as const,
      sizeHint: 'S' as const,
      images: [],
      onShelf: true,
      sortOrder: 0,
      soldOut: false,
      shopOpen: true,
      priceFen: 300,
    };
    expect(changedFields(before, r.body)).toEqual({ priceFen: 290 });
  });
});

describe('delivery draft', () => {
  it('reads back what the API holds and builds DeliveryModes', () => {
    const d = deliveryDraftOf({ shopPickup: true, home: { radiusM: 2000, feeFen: 350 }, locker: false });
    expect(d).toEqual({ modes: ['shopPickup', 'home'], radiusM: '2000', fee: '3.5' });
    expect(parseDelivery(d)).toEqual({
      ok: true,
      value: { shopPickup: true, home: { radiusM: 2000, feeFen: 350 }, locker: false },
    });
  });

  it('needs one mode, and a sane radius and fee for home delivery', () => {
    expect(parseDelivery({ modes: [], radiusM: '', fee: '' })).toEqual({
      ok: false,
      errors: { delivery: '请至少选择一种配送方式' },
    });
    const home = toggleMode({ modes: ['locker'], radiusM: '50', fee: '200' }, 'home');
    expect(home.modes).toEqual(['home', 'locker']);
    const r = parseDelivery(home);
    expect(r.ok ? null : Object.keys(r.errors).sort()).toEqual(['fee', 'radiusM']);
  });
});

describe('apply draft', () => {
  const base = {
    name: '老街烘焙',
    category: 'bakery' as const,
    description: '',
    contactPhone: '13912345678',
    address: '黌门街 8 号',
    lat: 30.65,
    lng: 104.06,
    communityIds: ['0195f3a0-0000-7000-8000-000000000001'],
    week: toWeek(DEFAULT_HOURS.weekly),
    closedDates: [],
    delivery: { modes: ['shopPickup' as const], radiusM: '3000', fee: '0' },
    minOrder: '15',
  };

  it('builds an ApplyMerchantBody', () => {
    const r = parseApply(base);
    expect(r.ok && r.body).toMatchObject({ minOrderFen: 1500, hours: { weekly: DEFAULT_HOURS.weekly } });
  });

  it('points at the fields to fix', () => {
    const r = parseApply({
      ...base,
      name: ' ',
      category: null,
      contactPhone: '123',
      communityIds: [],
      week: setPeriodTime(base.week, 1, 0, 'close', '08:00'),
    });
    expect(r.ok ? [] : Object.keys(r.errors).sort()).toEqual([
      'category',
      'communityIds',
      'contactPhone',
      'hours',
      'name',
    ]);
  });
});

describe('errors', () => {
  it('maps codes to Chinese and falls back to the server message', () => {
    const err = (code: string, message = 'x') => new ApiError({ code, message, status: 409 });
    expect(merchantErrorText(err('ORDER_STATE_CHANGED'))).toBe('订单状态已变化，请刷新');
    expect(merchantErrorText(err('PICKUP_CODE_INVALID'))).toBe('取货码不正确');
    expect(merchantErrorText(err('PICKUP_CODE_LOCKED', 'Too many wrong codes'))).toMatch(/核销已暂停/);
    expect(merchantErrorText(err('SOMETHING_NEW', '服务器说的话'))).toBe('服务器说的话');
  });

  it('keys envelope details by field, with the Chinese hint', () => {
    const err = new ApiError({
      code: 'VALIDATION_FAILED',
      message: 'Some fields are invalid',
      status: 400,
      details: [
        { path: 'body.priceFen', message: 'must be whole fen' },
        { path: 'body.images.0', message: 'Invalid URL' },
        { path: 'body.mystery', message: 'is odd' },
      ],
    });
    expect(fieldErrors(err, PRODUCT_FIELD_HINTS)).toEqual({
      priceFen: PRODUCT_FIELD_HINTS.priceFen,
      images: PRODUCT_FIELD_HINTS.images,
      mystery: 'is odd',
    });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});

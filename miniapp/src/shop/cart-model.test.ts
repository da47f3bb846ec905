import type { DeliveryWindow, Merchant, PackLine } from 'shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import type { CartGroup } from '../market/cart-store';
import {
  type Availability,
  type CartInfo,
  isLockerRefusal,
  orderBody,
  planCart,
  type ShopInfo,
  settingsOf,
  submitBlocker,
} from './cart-model';

const chilledM: PackLine = { zone: 'chilled', size: 'M' };

/** Only what checkout reads of a shop. */
const merchant = (delivery: Partial<Merchant['delivery']>, extra: Partial<Merchant> = {}) =>
  ({
    openNow: true,
    minOrderFen: 0,
    delivery: { shopPickup: false, home: null, locker: false, ...delivery },
    ...extra,
  }) as Merchant;

const win = (id: string, hour: number): DeliveryWindow => ({
  id,
  communityId: 'c',
  cutoffAt: `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`,
  deliverAt: `2026-11-20T${String(hour + 3).padStart(2, '0')}:00:00.000Z`,
  status: 'open',
});

const group = (merchantId: string, productIds: string[], itemsFen = 1000): CartGroup => ({
  merchantId,
  merchantName: `店${merchantId}`,
  itemsFen,
  count: productIds.length,
  lines: productIds.map((productId) => ({
    productId,
    merchantId,
    name: `商品${productId}`,
    unit: '份',
    priceFen: itemsFen / productIds.length,
    originalPriceFen: null,
    stock: 10,
    perOrderLimit: null,
    quantity: 1,
  })),
});

const shopInfo = (m: Merchant, specs: Record<string, PackLine>): ShopInfo => ({
  merchant: m,
  onSale: new Set(Object.keys(specs)),
  specs: new Map(Object.entries(specs)),
  error: null,
});

/** Free compartments per bank of a window: [zone, size, count]. */
const freeIn = (windowId: string, banks: Record<string, [PackLine['zone'], PackLine['size'], number][]>) => ({
  data: {
    windowId,
    banks: Object.entries(banks).map(([bankId, free]) => ({
      bankId,
      name: `柜${bankId}`,
      location: '门口',
      free: free.map(([zone, size, count]) => ({ zone, size, count })),
    })),
  },
});

const households = [{ id: 'h1', address: '梧桐院 2栋 101' }];
const windows = [win('w1', 6), win('w2', 8), win('w3', 10)];
const lockerShop = merchant({ locker: true, home: { radiusM: 3000, feeFen: 200 } });

function info(shops: Record<string, ShopInfo>, home = true): CartInfo {
  return {
    households: home ? households : [],
    home: home ? { communityId: 'c', compoundId: 'k' } : null,
    windows,
    windowsError: null,
    loadedAt: 1,
    shops: new Map(Object.entries(shops)),
  };
}

describe('group settings', () => {
  it('default to the locker of the resident’s compound when the shop delivers there, the first household and the earliest window', () => {
    const both = merchant({ shopPickup: true, locker: true });
    expect(settingsOf({}, both, households, windows, true)).toMatchObject({
      selected: true,
      mode: 'locker',
      householdId: 'h1',
      windowId: 'w1',
      consent: false,
    });
    expect(settingsOf({}, lockerShop, households, windows, true).mode).toBe('locker');
    // What the person chose stays chosen.
    expect(settingsOf({ mode: 'shop_pickup' }, both, households, windows, true).mode).toBe('shop_pickup');
    expect(settingsOf({}, merchant({}), [], []).mode).toBeNull();
  });

  it('fall back to the shop, then the door, when the locker is not for this resident now', () => {
    const both = merchant({ shopPickup: true, locker: true });
    // Not verified: no compound, so no locker of theirs.
    expect(settingsOf({}, both, [], windows, false).mode).toBe('shop_pickup');
    // No window open.
    expect(settingsOf({}, both, households, [], true).mode).toBe('shop_pickup');
    expect(settingsOf({}, lockerShop, households, windows, false).mode).toBe('home');
    expect(settingsOf({}, merchant({ locker: true }), [], windows, false).mode).toBe('locker');
  });

  it('drop a chosen window that is no longer open', () => {
    expect(settingsOf({ windowId: 'gone' }, lockerShop, households, windows).windowId).toBe('w1');
    expect(settingsOf({ windowId: 'w2' }, lockerShop, households, windows).windowId).toBe('w2');
  });
});

describe('the order a group becomes', () => {
  const g = group('m1', ['p1']);
  const base = settingsOf({}, lockerShop, households, windows);

  it('goes to a locker only with a bank and the consent, and keeps a note only when there is one', () => {
    expect(
      orderBody(g, { ...base, mode: 'locker', lockerBankId: 'b1', consent: true, note: ' 轻放 ' }),
    ).toEqual({
      merchantId: 'm1',
      items: [{ productId: 'p1', quantity: 1 }],
      delivery: { mode: 'locker', windowId: 'w1', lockerBankId: 'b1', consent: true },
      note: '轻放',
    });
    expect(orderBody(g, { ...base, mode: 'locker', lockerBankId: 'b1' }).delivery).toEqual({
      mode: 'shop_pickup',
    });
    expect(orderBody(g, { ...base, mode: 'home' })).toEqual({
      merchantId: 'm1',
      items: [{ productId: 'p1', quantity: 1 }],
      delivery: { mode: 'home', householdId: 'h1' },
    });
  });
});

describe('planning the cart', () => {
  const twoLockerGroups = {
    groups: [group('m1', ['p1']), group('m2', ['p2'])],
    saved: { m1: { mode: 'locker' as const, consent: true }, m2: { mode: 'locker' as const, consent: true } },
    windows,
  };
  const shops = {
    m1: shopInfo(lockerShop, { p1: chilledM }),
    m2: shopInfo(lockerShop, { p2: chilledM }),
  };

  it('asks for the chosen window first, and nothing without a verified household', () => {
    expect(planCart({ ...twoLockerGroups, info: info(shops), availability: {} }).toLoad).toEqual(['w1']);
    const plan = planCart({ ...twoLockerGroups, info: info(shops, false), availability: {} });
    expect(plan.toLoad).toEqual([]);
    expect(plan.rows[0]!.problems).toContain('生鲜柜自取需先完成住户认证');
  });

  it("gives the last free compartment to the earlier group and moves the later one's to a bank with room", () => {
    const availability: Availability = {
      w1: freeIn('w1', { b1: [['chilled', 'M', 1]], b2: [['chilled', 'M', 1]] }),
    };
    const { rows } = planCart({ ...twoLockerGroups, info: info(shops), availability });
    expect(rows.map((r) => r.s.lockerBankId)).toEqual(['b1', 'b2']);
    expect(rows.map((r) => r.problems)).toEqual([[], []]);
  });

  it('blocks the later group when no bank is left, and looks at later windows to offer', () => {
    const availability: Availability = { w1: freeIn('w1', { b1: [['chilled', 'M', 1]] }) };
    const { rows, toLoad } = planCart({ ...twoLockerGroups, info: info(shops), availability });
    expect(rows[0]!.problems).toEqual([]);
    expect(rows[1]!.advice.fits).toBe(false);
    expect(rows[1]!.problems).toEqual(['所选生鲜柜空位不足，请按提示更换生鲜柜、时段或配送方式']);
    expect(toLoad).toEqual(['w1', 'w2', 'w3']);
  });

  it('does not count a group left out of this checkout against the others', () => {
    const availability: Availability = { w1: freeIn('w1', { b1: [['chilled', 'M', 1]] }) };
    const saved = { ...twoLockerGroups.saved, m1: { ...twoLockerGroups.saved.m1, selected: false } };
    const { rows } = planCart({ ...twoLockerGroups, saved, info: info(shops), availability });
    expect(rows[1]!.advice.fits).toBe(true);
  });

  it('says why a group cannot be ordered, and adds the delivery fee for home delivery', () => {
    const closed = merchant({ home: { radiusM: 3000, feeFen: 300 } }, { openNow: false, minOrderFen: 1500 });
    const { rows } = planCart({
      groups: [group('m1', ['p1'], 1000)],
      saved: {},
      windows,
      info: info({ m1: shopInfo(closed, { p1: chilledM }) }),
      availability: {},
    });
    expect(rows[0]!.fee).toBe(300);
    expect(rows[0]!.problems).toEqual(['商家休息中，暂不接单', '还差 ¥5 起送（¥15 起送）']);
  });
});

it('reloads the cart after the refusals a fuller locker or a closed window cause', () => {
  const refusal = (code: string) => new ApiError({ code, message: 'x', status: 409 });
  expect(isLockerRefusal(refusal('LOCKER_FULL'))).toBe(true);
  expect(isLockerRefusal(refusal('WINDOW_CLOSED'))).toBe(true);
  expect(isLockerRefusal(refusal('SHOP_CLOSED'))).toBe(false);
  expect(isLockerRefusal(new Error('LOCKER_FULL'))).toBe(false);
});

describe('why 提交订单 is disabled', () => {
  const row = (merchantId: string, problems: string[], selected = true) => ({
    group: group(merchantId, ['p1']),
    s: { ...settingsOf({}, lockerShop, households, windows), selected },
    problems,
  });

  it('says the first problem at the button, short, and nothing when it can be ordered', () => {
    expect(submitBlocker([row('m1', [])])).toBeNull();
    expect(submitBlocker([row('m1', ['还差 ¥7.7 起送（¥15 起送）'])])).toBe('还差 ¥7.7 起送');
    expect(submitBlocker([row('m1', ['请选择配送时段', '还差 ¥7.7 起送（¥15 起送）'])])).toBe(
      '请选择配送时段',
    );
  });

  it('names the shop when several are being ordered, and skips those not chosen', () => {
    expect(submitBlocker([row('m1', []), row('m2', ['商家休息中，暂不接单'])])).toBe(
      '店m2：商家休息中，暂不接单',
    );
    expect(submitBlocker([row('m1', []), row('m2', ['商家休息中，暂不接单'], false)])).toBeNull();
    expect(submitBlocker([row('m1', ['x'], false), row('m2', ['y'], false)])).toBe('请选择要结算的商家');
  });
});

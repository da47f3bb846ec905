import { describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../api/tokens';
import {
  CART_KEY_PREFIX,
  type CartProduct,
  createCartStore,
  maxQuantity,
  newIdempotencyKey,
} from './cart-store';

const FARM = 'merchant-farm';
const BAKERY = 'merchant-bakery';

function product(id: string, over: Partial<CartProduct> = {}): CartProduct {
  return {
    productId: id,
    merchantId: FARM,
    name: `商品${id}`,
    unit: '斤',
    priceFen: 350,
    originalPriceFen: null,
    stock: 10,
    perOrderLimit: null,
    ...over,
  };
}

function setup(initialOwner: string | null = 'user-a') {
  const storage = memoryStorage();
  let who = initialOwner;
  let n = 0;
  const store = createCartStore(
    storage,
    () => who,
    () => `key-${++n}-abcdefgh`,
  );
  return { store, storage, setOwner: (o: string | null) => (who = o) };
}

describe('cart store', () => {
  it('adds, steps and removes lines, clamped to stock and the per-order limit', () => {
    const { store } = setup();
    expect(store.add(product('cabbage'), '菜宅送')).toBe(1);
    expect(store.add(product('cabbage'), '菜宅送', 3)).toBe(4);
    expect(store.add(product('eggs', { stock: 50, perOrderLimit: 2 }), '菜宅送', 5)).toBe(2);
    expect(store.setQuantity('cabbage', 40)).toBe(10);
    expect(store.count()).toBe(12);
    expect(store.setQuantity('cabbage', 0)).toBe(0);
    expect(store.quantity('cabbage')).toBe(0);
    store.remove('eggs');
    expect(store.get().lines).toEqual([]);
  });

  it('never adds a sold-out product', () => {
    const { store } = setup();
    expect(store.add(product('gone', { stock: 0 }), '菜宅送')).toBe(0);
    expect(store.count()).toBe(0);
    expect(maxQuantity({ stock: 0, perOrderLimit: 3 })).toBe(0);
    expect(maxQuantity({ stock: 5000, perOrderLimit: null })).toBe(999);
  });

  it('groups lines by merchant, one group per future order, with item totals', () => {
    const { store } = setup();
    store.add(product('cabbage'), '菜宅送', 2);
    store.add(product('bread', { merchantId: BAKERY, priceFen: 1200 }), '麦香烘焙');
    store.add(product('potato', { priceFen: 199 }), '菜宅送', 3);

    const groups = store.groups();
    expect(groups.map((g) => [g.merchantId, g.merchantName, g.lines.map((l) => l.productId)])).toEqual([
      [FARM, '菜宅送', ['cabbage', 'potato']],
      [BAKERY, '麦香烘焙', ['bread']],
    ]);
    expect(groups[0]).toMatchObject({ itemsFen: 2 * 350 + 3 * 199, count: 5 });
    expect(groups[1]).toMatchObject({ itemsFen: 1200, count: 1 });
  });

  it('persists per owner: another account on the same phone has its own cart', () => {
    const { store, storage, setOwner } = setup('user-a');
    store.add(product('cabbage'), '菜宅送', 2);
    expect(storage.getItem(`${CART_KEY_PREFIX}user-a`)).not.toBeNull();

    setOwner('user-b');
    expect(store.count()).toBe(0);
    store.add(product('bread', { merchantId: BAKERY }), '麦香烘焙');

    setOwner('user-a');
    expect(store.groups().map((g) => g.merchantName)).toEqual(['菜宅送']);

    // A fresh store (the next launch) reads the same cart back.
    const again = createCartStore(storage, () => 'user-a');
    expect(again.quantity('cabbage')).toBe(2);
  });

  it('keeps nothing without an owner (signed out)', () => {
    const { store, storage } = setup(null);
    store.add(product('cabbage'), '菜宅送');
    expect(store.count()).toBe(1);
    expect(createCartStore(storage, () => null).count()).toBe(0);
  });

  it('removes only the ordered lines of that merchant after checkout', () => {
    const { store } = setup();
    store.add(product('cabbage'), '菜宅送');
    store.add(product('potato'), '菜宅送');
    store.add(product('bread', { merchantId: BAKERY }), '麦香烘焙');
    store.removeOrdered(FARM, ['cabbage']);
    expect(store.get().lines.map((l) => l.productId)).toEqual(['potato', 'bread']);
    store.removeOrdered(FARM, ['potato']);
    expect(store.groups().map((g) => g.merchantId)).toEqual([BAKERY]);
    expect(store.get().merchantNames).toEqual({ [BAKERY]: '麦香烘焙' });
  });

  it('refreshes prices and stock, clamping quantities but keeping sold-out lines visible', () => {
    const { store } = setup();
    store.add(product('cabbage'), '菜宅送', 8);
    store.add(product('eggs'), '菜宅送', 2);
    store.refresh([product('cabbage', { stock: 5, priceFen: 300 }), product('eggs', { stock: 0 })]);
    expect(store.get().lines.map((l) => [l.productId, l.quantity, l.priceFen, l.stock])).toEqual([
      ['cabbage', 5, 300, 5],
      ['eggs', 1, 350, 0],
    ]);
  });

  it('notifies subscribers on changes and hands out the same snapshot until then', () => {
    const { store } = setup();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    const before = store.get();
    expect(store.get()).toBe(before);
    store.add(product('cabbage'), '菜宅送');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.get()).not.toBe(before);
    store.setQuantity('cabbage', 1); // unchanged
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    store.remove('cabbage');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('treats a corrupt entry as an empty cart and skips malformed lines', () => {
    const storage = memoryStorage();
    storage.setItem(`${CART_KEY_PREFIX}u`, '{nope');
    expect(createCartStore(storage, () => 'u').count()).toBe(0);
    storage.setItem(
      `${CART_KEY_PREFIX}u`,
      JSON.stringify({ lines: [{ productId: 'x' }, { ...product('ok'), quantity: 2 }], merchantNames: {} }),
    );
    expect(createCartStore(storage, () => 'u').count()).toBe(2);
  });
});

describe('checkout idempotency keys', () => {
  it('reuses the key for a retry of the same request and makes a new one when the request changed', () => {
    const { store, storage } = setup();
    store.add(product('cabbage'), '菜宅送');
    const first = store.checkoutKey(FARM, 'body-1');
    expect(store.checkoutKey(FARM, 'body-1')).toBe(first);
    // Survives a restart of the app between the failed attempt and the retry.
    expect(createCartStore(storage, () => 'user-a').checkoutKey(FARM, 'body-1')).toBe(first);

    const second = store.checkoutKey(FARM, 'body-2');
    expect(second).not.toBe(first);
    expect(store.checkoutKey(BAKERY, 'body-2')).not.toBe(second);
  });

  it('starts a new attempt after the server answered', () => {
    const { store } = setup();
    store.add(product('cabbage'), '菜宅送');
    const first = store.checkoutKey(FARM, 'body-1');
    store.forgetCheckoutKey(FARM);
    expect(store.checkoutKey(FARM, 'body-1')).not.toBe(first);
    const third = store.checkoutKey(FARM, 'body-1');
    store.removeOrdered(FARM, ['cabbage']);
    expect(store.checkoutKey(FARM, 'body-1')).not.toBe(third);
  });

  it('makes keys the header accepts, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});

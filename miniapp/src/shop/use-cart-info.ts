import { call } from '../api';
import { type ApiState, useApi } from '../hooks/use-api';
import { cart } from '../market/cart';
import { toCartProduct } from '../market/ProductCard';
import type { CartInfo, Home, Household, ShopInfo } from './cart-model';

/** The shop's profile and its current products; the cart lines take the fresh prices and stock. */
async function loadShop(id: string): Promise<ShopInfo> {
  try {
    const [merchant, products] = await Promise.all([
      call('merchant', { params: { id } }),
      call('products', { query: { merchantId: id, limit: 100 } }),
    ]);
    cart.refresh(products.items.map(toCartProduct));
    const onSale = products.nextCursor === null ? new Set(products.items.map((p) => p.id)) : null;
    const specs = new Map(products.items.map((p) => [p.id, { zone: p.temperature, size: p.sizeHint }]));
    return { merchant, onSale, specs, error: null };
  } catch (error) {
    // One shop failing to load blocks only its own group.
    return { merchant: null, onSale: null, specs: new Map(), error };
  }
}

async function loadCartInfo(merchantIds: string[]): Promise<CartInfo> {
  const [me, ...shops] = await Promise.all([call('me'), ...merchantIds.map(loadShop)]);
  const approved = me.memberships.filter((m) => m.status === 'approved');
  const households: Household[] = approved.map((m) => ({ id: m.householdId, address: m.address }));
  const home: Home | null = approved[0]
    ? { communityId: approved[0].communityId, compoundId: approved[0].compoundId }
    : null;
  // Delivery windows only matter when a shop of the cart delivers to lockers.
  let windows: CartInfo['windows'] = [];
  let windowsError: unknown = null;
  if (home && shops.some((s) => s.merchant?.delivery.locker)) {
    try {
      windows = (await call('deliveryWindows', { query: { communityId: home.communityId } })).items;
    } catch (err) {
      windowsError = err;
    }
  }
  return {
    households,
    home,
    windows,
    windowsError,
    loadedAt: Date.now(),
    shops: new Map(merchantIds.map((id, i) => [id, shops[i]!])),
  };
}

/** What the cart needs besides its lines, for the merchants in it (comma-separated ids). */
export function useCartInfo(merchantIds: string): ApiState<CartInfo> {
  return useApi(() => loadCartInfo(merchantIds ? merchantIds.split(',') : []), {
    key: merchantIds,
    refreshOnShow: true,
  });
}

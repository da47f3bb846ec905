import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useSyncExternalStore } from 'react';
import { actingFor, tokens } from '../api';
import { taroStorage } from '../api/storage';
import { type CartState, createCartStore } from './cart-store';

/**
 * The app's cart. It belongs to whoever the orders would be for: the elder while acting for one
 * (代办), otherwise the signed-in person.
 */
export const cart = createCartStore(
  taroStorage,
  () => actingFor.get()?.elderId ?? tokens.get()?.userId ?? null,
);

function subscribe(listener: () => void): () => void {
  const offCart = cart.subscribe(listener);
  const offActing = actingFor.subscribe(listener);
  return () => {
    offCart();
    offActing();
  };
}

/** The cart's state; re-renders on every change (and when acting-for mode switches carts). */
export function useCart(): CartState {
  return useSyncExternalStore(subscribe, cart.get, cart.get);
}

/** The tab bar's 集市 badge counts what is in the cart (weapp and H5 both draw it); tab pages call it. */
export function useCartBadge() {
  const state = useCart();
  const sync = () => {
    const count = cart.count();
    const done = () => undefined;
    if (count > 0) Taro.setTabBarBadge({ index: 1, text: count > 99 ? '99+' : String(count) }).catch(done);
    else Taro.removeTabBarBadge({ index: 1 }).catch(done);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs whenever the cart changes
  useEffect(sync, [state]);
  useDidShow(sync);
}

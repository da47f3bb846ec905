import { useSyncExternalStore } from 'react';
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

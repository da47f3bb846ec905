import type { KeyValueStorage } from '../api/tokens';

/** What the cart remembers of a product when it was added; the server re-checks all of it at checkout. */
export interface CartProduct {
  productId: string;
  merchantId: string;
  name: string;
  unit: string;
  priceFen: number;
  originalPriceFen: number | null;
  stock: number;
  perOrderLimit: number | null;
}

export interface CartLine extends CartProduct {
  quantity: number;
}

/** One merchant's lines: checkout turns each group into one order. */
export interface CartGroup {
  merchantId: string;
  merchantName: string;
  lines: CartLine[];
  /** Sum of the lines at the prices seen when browsing (the server's total is the one charged). */
  itemsFen: number;
  count: number;
}

/** The Idempotency-Key of the last checkout attempt for a merchant, and what it was for. */
interface PendingCheckout {
  fingerprint: string;
  key: string;
}

export interface CartState {
  lines: CartLine[];
  merchantNames: Record<string, string>;
  checkout: Record<string, PendingCheckout>;
}

export interface CartStore {
  /** The current owner's cart; the same object until it changes (for useSyncExternalStore). */
  get(): CartState;
  groups(): CartGroup[];
  quantity(productId: string): number;
  /** Number of items (sum of quantities). */
  count(): number;
  /** Adds `quantity` (clamped to stock and the per-order limit); returns the line's new quantity. */
  add(product: CartProduct, merchantName: string, quantity?: number): number;
  /** Sets a line's quantity (clamped); 0 removes the line. Returns the new quantity. */
  setQuantity(productId: string, quantity: number): number;
  remove(productId: string): void;
  /** After an order was created: drop those products' lines and forget the checkout key. */
  removeOrdered(merchantId: string, productIds: string[]): void;
  /** Takes fresh product data (price, stock, limit, name) and clamps quantities to it. */
  refresh(products: CartProduct[]): void;
  /**
   * The Idempotency-Key for checking out this merchant's group with exactly this request: the same
   * request again (a retry after a network error) reuses the key, a changed one gets a fresh key.
   */
  checkoutKey(merchantId: string, fingerprint: string): string;
  /** The server answered the attempt (order or a definite refusal): the next attempt is a new one. */
  forgetCheckoutKey(merchantId: string): void;
  subscribe(listener: () => void): () => void;
}

export const CART_KEY_PREFIX = 'linli.cart.';
const MAX_PER_LINE = 999;

/** The most of a product one order may hold: its stock, its per-order limit, and 999. */
export function maxQuantity(p: Pick<CartProduct, 'stock' | 'perOrderLimit'>): number {
  return Math.max(0, Math.min(p.stock, p.perOrderLimit ?? MAX_PER_LINE, MAX_PER_LINE));
}

const clamp = (p: Pick<CartProduct, 'stock' | 'perOrderLimit'>, quantity: number) =>
  Math.max(0, Math.min(Math.floor(quantity), maxQuantity(p)));

/** 8-64 of [A-Za-z0-9_-], as the Idempotency-Key header requires. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(12);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `ck_${Date.now().toString(36)}_${hex}`;
}

const empty = (): CartState => ({ lines: [], merchantNames: {}, checkout: {} });

function isLine(value: unknown): value is CartLine {
  const l = value as Partial<CartLine> | null;
  return (
    !!l &&
    typeof l.productId === 'string' &&
    typeof l.merchantId === 'string' &&
    typeof l.name === 'string' &&
    typeof l.unit === 'string' &&
    typeof l.priceFen === 'number' &&
    (l.originalPriceFen === null || typeof l.originalPriceFen === 'number') &&
    typeof l.stock === 'number' &&
    (l.perOrderLimit === null || typeof l.perOrderLimit === 'number') &&
    typeof l.quantity === 'number' &&
    l.quantity > 0
  );
}

function parse(raw: string | null): CartState {
  if (!raw) return empty();
  try {
    const value = JSON.parse(raw) as Partial<CartState>;
    const lines = Array.isArray(value.lines) ? value.lines.filter(isLine) : [];
    const merchantNames =
      value.merchantNames && typeof value.merchantNames === 'object' ? value.merchantNames : {};
    const checkout = value.checkout && typeof value.checkout === 'object' ? value.checkout : {};
    return { lines, merchantNames, checkout };
  } catch {
    return empty();
  }
}

/**
 * The shopping cart, persisted in storage per person: `owner()` names whose cart it is (the
 * signed-in user, or the elder being acted for), so two accounts on one phone never share a cart.
 * With no owner it holds nothing and keeps nothing.
 */
export function createCartStore(
  storage: KeyValueStorage,
  owner: () => string | null,
  makeKey: () => string = newIdempotencyKey,
): CartStore {
  let cachedOwner: string | null | undefined;
  let state: CartState = empty();
  const listeners = new Set<() => void>();

  function current(): CartState {
    const who = owner();
    if (who !== cachedOwner) {
      cachedOwner = who;
      state = who ? parse(storage.getItem(CART_KEY_PREFIX + who)) : empty();
    }
    return state;
  }

  function commit(next: CartState): void {
    const who = owner();
    cachedOwner = who;
    state = next;
    if (who) {
      if (next.lines.length === 0 && Object.keys(next.checkout).length === 0)
        storage.removeItem(CART_KEY_PREFIX + who);
      else storage.setItem(CART_KEY_PREFIX + who, JSON.stringify(next));
    }
    for (const listener of [...listeners]) listener();
  }

  /** Names of merchants that still have lines; pending keys survive (a retry may still come). */
  function tidy(next: CartState): CartState {
    const used = new Set(next.lines.map((l) => l.merchantId));
    const merchantNames = Object.fromEntries(
      Object.entries(next.merchantNames).filter(([id]) => used.has(id)),
    );
    return { ...next, merchantNames };
  }

  function setQuantity(productId: string, quantity: number): number {
    const s = current();
    const line = s.lines.find((l) => l.productId === productId);
    if (!line) return 0;
    const q = clamp(line, quantity);
    if (q === line.quantity) return q;
    const lines =
      q === 0
        ? s.lines.filter((l) => l.productId !== productId)
        : s.lines.map((l) => (l.productId === productId ? { ...l, quantity: q } : l));
    commit(tidy({ ...s, lines }));
    return q;
  }

  return {
    get: current,
    groups() {
      const s = current();
      const byMerchant = new Map<string, CartGroup>();
      for (const line of s.lines) {
        let group = byMerchant.get(line.merchantId);
        if (!group) {
          group = {
            merchantId: line.merchantId,
            merchantName: s.merchantNames[line.merchantId] ?? '',
            lines: [],
            itemsFen: 0,
            count: 0,
          };
          byMerchant.set(line.merchantId, group);
        }
        group.lines.push(line);
        group.itemsFen += line.priceFen * line.quantity;
        group.count += line.quantity;
      }
      return [...byMerchant.values()];
    },
    quantity: (productId) => current().lines.find((l) => l.productId === productId)?.quantity ?? 0,
    count: () => current().lines.reduce((n, l) => n + l.quantity, 0),
    add(product, merchantName, quantity = 1) {
      const s = current();
      const existing = s.lines.find((l) => l.productId === product.productId);
      const q = clamp(product, (existing?.quantity ?? 0) + quantity);
      if (q === 0 && !existing) return 0;
      const line: CartLine = { ...product, quantity: q };
      const lines = existing
        ? q === 0
          ? s.lines.filter((l) => l.productId !== product.productId)
          : s.lines.map((l) => (l.productId === product.productId ? line : l))
        : [...s.lines, line];
      const merchantNames = merchantName
        ? { ...s.merchantNames, [product.merchantId]: merchantName }
        : s.merchantNames;
      commit(tidy({ ...s, lines, merchantNames }));
      return q;
    },
    setQuantity,
    remove: (productId) => void setQuantity(productId, 0),
    removeOrdered(merchantId, productIds) {
      const s = current();
      const ordered = new Set(productIds);
      const lines = s.lines.filter((l) => !(l.merchantId === merchantId && ordered.has(l.productId)));
      const { [merchantId]: _done, ...checkout } = s.checkout;
      commit(tidy({ ...s, lines, checkout }));
    },
    refresh(products) {
      const s = current();
      const fresh = new Map(products.map((p) => [p.productId, p]));
      let changed = false;
      const lines: CartLine[] = [];
      for (const line of s.lines) {
        const p = fresh.get(line.productId);
        if (!p) {
          lines.push(line);
          continue;
        }
        // Keep at least one of a sold-out line: the cart shows it as 已售罄 instead of dropping it silently.
        const quantity = Math.max(1, clamp(p, line.quantity));
        const next: CartLine = { ...p, quantity };
        if (JSON.stringify(next) !== JSON.stringify(line)) changed = true;
        lines.push(next);
      }
      if (changed) commit({ ...s, lines });
    },
    checkoutKey(merchantId, fingerprint) {
      const s = current();
      const pending = s.checkout[merchantId];
      if (pending && pending.fingerprint === fingerprint) return pending.key;
      const key = makeKey();
      commit({ ...s, checkout: { ...s.checkout, [merchantId]: { fingerprint, key } } });
      return key;
    },
    forgetCheckoutKey(merchantId) {
      const s = current();
      if (!s.checkout[merchantId]) return;
      const { [merchantId]: _gone, ...checkout } = s.checkout;
      commit({ ...s, checkout });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

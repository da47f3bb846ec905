/** The token pair the app keeps between launches. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

/** Synchronous key-value storage (Taro storage in the app, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens): void;
  clear(): void;
}

export const TOKENS_KEY = 'linli.tokens';

export function createTokenStore(storage: KeyValueStorage): TokenStore {
  return {
    get() {
      const raw = storage.getItem(TOKENS_KEY);
      if (!raw) return null;
      try {
        const value = JSON.parse(raw) as Partial<Tokens>;
        if (typeof value.accessToken === 'string' && typeof value.refreshToken === 'string') {
          return {
            accessToken: value.accessToken,
            refreshToken: value.refreshToken,
            userId: value.userId ?? '',
          };
        }
      } catch {
        // corrupt entry: treat as logged out
      }
      return null;
    },
    set(tokens) {
      storage.setItem(
        TOKENS_KEY,
        JSON.stringify({
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          userId: tokens.userId,
        }),
      );
    },
    clear() {
      storage.removeItem(TOKENS_KEY);
    },
  };
}

/** In-memory storage, for tests and as a fallback. */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

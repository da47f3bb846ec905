import type { KeyValueStorage } from '../api/tokens';

/** The elder a family member is currently acting for (代办). */
export interface ActingFor {
  elderId: string;
  name: string;
}

export const ACTING_KEY = 'linli.actingFor';

export interface ActingStore {
  get(): ActingFor | null;
  set(value: ActingFor | null): void;
  /** Returns an unsubscribe function; listeners run after every change. */
  subscribe(listener: () => void): () => void;
}

/**
 * Acting-for mode as a tiny persisted store (read with useSyncExternalStore). Persisted so that a
 * reload keeps the banner and the header in step; cleared on login, logout and session loss.
 */
export function createActingStore(storage: KeyValueStorage): ActingStore {
  let value = read(storage);
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (next?.elderId === value?.elderId && next?.name === value?.name) return;
      value = next ? { elderId: next.elderId, name: next.name } : null;
      if (value) storage.setItem(ACTING_KEY, JSON.stringify(value));
      else storage.removeItem(ACTING_KEY);
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function read(storage: KeyValueStorage): ActingFor | null {
  const raw = storage.getItem(ACTING_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<ActingFor>;
    if (typeof v.elderId === 'string' && v.elderId && typeof v.name === 'string') {
      return { elderId: v.elderId, name: v.name };
    }
  } catch {
    // corrupt entry: not acting for anyone
  }
  return null;
}

import type { KeyValueStorage } from '../api/tokens';

export const ELDER_KEY = 'linli.elderMode';

export interface ElderStore {
  get(): boolean;
  set(on: boolean): void;
  toggle(): void;
  /** Returns an unsubscribe function; listeners run after every change. */
  subscribe(listener: () => void): () => void;
}

/** Elder mode (长辈模式) as a tiny persisted store, readable with useSyncExternalStore. */
export function createElderStore(storage: KeyValueStorage): ElderStore {
  let value = storage.getItem(ELDER_KEY) === '1';
  const listeners = new Set<() => void>();

  function set(on: boolean): void {
    if (on === value) return;
    value = on;
    if (on) storage.setItem(ELDER_KEY, '1');
    else storage.removeItem(ELDER_KEY);
    for (const listener of [...listeners]) listener();
  }

  return {
    get: () => value,
    set,
    toggle: () => set(!value),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

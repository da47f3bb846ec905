import { describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../api/tokens';
import { createElderStore, ELDER_KEY } from './elder-store';

describe('elder mode store', () => {
  it('is off by default and persists when turned on and off', () => {
    const storage = memoryStorage();
    const store = createElderStore(storage);
    expect(store.get()).toBe(false);

    store.set(true);
    expect(store.get()).toBe(true);
    expect(storage.getItem(ELDER_KEY)).toBe('1');
    expect(createElderStore(storage).get()).toBe(true);

    store.toggle();
    expect(store.get()).toBe(false);
    expect(storage.getItem(ELDER_KEY)).toBeNull();
    expect(createElderStore(storage).get()).toBe(false);
  });

  it('notifies subscribers on change only, and stops after unsubscribe', () => {
    const store = createElderStore(memoryStorage());
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);

    store.set(true);
    store.set(true);
    expect(listener).toHaveBeenCalledTimes(1);

    unsubscribe();
    store.set(false);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

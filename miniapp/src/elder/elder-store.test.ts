import { describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../api/tokens';
import { ageToday, decideElderMode, isLargeBrowserFont, isLargeWechatFont } from './elder-decision';
import { createElderStore, ELDER_KEY, type ElderSources, LEGACY_ELDER_KEY } from './elder-store';

const NOW = new Date('2026-12-02T01:00:00Z');
const ELDER = { userId: 'u-elder', birthDate: '1940-03-15', elderMode: null };
const YOUNG = { userId: 'u-young', birthDate: null, elderMode: null };

function world(opts: { largeSystemText?: boolean } = {}) {
  let acting = false;
  const actingListeners = new Set<() => void>();
  const saved: (boolean | null)[] = [];
  const sources: ElderSources = {
    actingForElder: () => acting,
    subscribeActing: (l) => {
      actingListeners.add(l);
      return () => actingListeners.delete(l);
    },
    largeSystemText: opts.largeSystemText ?? false,
    saveChoice: async (on) => {
      saved.push(on);
    },
    now: () => NOW,
  };
  const storage = memoryStorage();
  return {
    storage,
    saved,
    sources,
    store: createElderStore(storage, sources),
    setActing(on: boolean) {
      acting = on;
      for (const l of actingListeners) l();
    },
  };
}

describe('decideElderMode: choice > proxy > age > system text size', () => {
  const none = { choice: null, actingForElder: false, age: null, largeSystemText: false };
  it.each([
    [{ ...none }, false, 'none'],
    [{ ...none, largeSystemText: true }, true, 'system'],
    [{ ...none, age: 79 }, false, 'none'],
    [{ ...none, age: 80 }, true, 'age'],
    [{ ...none, age: 86, largeSystemText: true }, true, 'age'],
    [{ ...none, actingForElder: true, age: 40 }, true, 'proxy'],
    [{ ...none, choice: false, actingForElder: true, age: 86, largeSystemText: true }, false, 'choice'],
    [{ ...none, choice: true }, true, 'choice'],
  ] as const)('%o -> %s (%s)', (signals, on, reason) => {
    expect(decideElderMode(signals)).toEqual({ on, reason });
  });

  it('counts age in whole years on the Shanghai calendar day', () => {
    // 2026-12-01 16:30 UTC is already 12-02 in Shanghai: the 80th birthday on 12-02 counts.
    expect(ageToday('1946-12-02', new Date('2026-12-01T16:30:00Z'))).toBe(80);
    expect(ageToday('1946-12-02', new Date('2026-12-01T15:30:00Z'))).toBe(79);
    expect(ageToday(null)).toBeNull();
  });

  it('reads WeChat font size, 关怀模式 scale and the browser default', () => {
    expect(isLargeWechatFont(17)).toBe(false);
    expect(isLargeWechatFont(20)).toBe(true);
    expect(isLargeWechatFont(17, 1.3)).toBe(true);
    expect(isLargeWechatFont(undefined, undefined)).toBe(false);
    expect(isLargeBrowserFont(16)).toBe(false);
    expect(isLargeBrowserFont(20)).toBe(true);
    expect(isLargeBrowserFont(Number.NaN)).toBe(false);
  });
});

describe('elder mode store', () => {
  it('a profile read answered while a tapped choice is still being saved does not undo it', async () => {
    const w = world();
    let finish = () => {};
    w.sources.saveChoice = () => new Promise<void>((r) => (finish = r));
    w.store.applyProfile(YOUNG);
    w.store.set(true);
    // The sign-in's GET /v1/me left before the PATCH: it still says automatic.
    w.store.applyProfile(YOUNG);
    expect(w.store.get()).toBe(true);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    // Once saved, the account's word counts again.
    w.store.applyProfile({ ...YOUNG, elderMode: false });
    expect(w.store.get()).toBe(false);
  });

  it('is off by default, and on by itself for an 80+ person, with the note until 知道了', () => {
    const w = world();
    expect(w.store.get()).toBe(false);
    w.store.applyProfile(ELDER);
    expect([w.store.get(), w.store.reason(), w.store.noteVisible()]).toEqual([true, 'age', true]);
    w.store.dismissNote();
    expect([w.store.get(), w.store.noteVisible()]).toEqual([true, false]);
    // A reload keeps the decision and the closed note.
    const again = createElderStore(w.storage, w.sources);
    expect([again.get(), again.noteVisible()]).toEqual([true, false]);
    expect(w.saved).toEqual([]);
  });

  it("the person's own choice wins, is saved on the account, and comes back from the account", () => {
    const w = world({ largeSystemText: true });
    w.store.applyProfile(ELDER);
    w.store.set(false);
    expect([w.store.get(), w.store.reason(), w.store.noteVisible()]).toEqual([false, 'choice', false]);
    expect(w.saved).toEqual([false]);
    w.setActing(true);
    expect(w.store.get()).toBe(false);

    // Signed out, then in on another phone: the account's choice applies there.
    const phone2 = world({ largeSystemText: true });
    phone2.store.applyProfile({ ...ELDER, elderMode: false });
    expect(phone2.store.get()).toBe(false);

    w.store.clearChoice();
    expect([w.store.get(), w.store.reason()]).toEqual([true, 'proxy']);
    expect(w.saved).toEqual([false, null]);
  });

  it('turns on while acting for an elder and off again after, with no choice saved', () => {
    const w = world();
    w.store.applyProfile(YOUNG);
    const listener = vi.fn();
    w.store.subscribe(listener);
    w.setActing(true);
    expect([w.store.get(), w.store.reason(), w.store.noteVisible()]).toEqual([true, 'proxy', true]);
    w.setActing(false);
    expect(w.store.get()).toBe(false);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(w.saved).toEqual([]);
  });

  it('sign-out forgets the person; a new person does not inherit the closed note', () => {
    const w = world();
    w.store.applyProfile(ELDER);
    w.store.dismissNote();
    w.store.reset();
    expect(w.store.get()).toBe(false);
    w.store.applyProfile({ ...ELDER, userId: 'u-other-elder' });
    expect(w.store.noteVisible()).toBe(true);
    expect(JSON.parse(w.storage.getItem(ELDER_KEY)!)).toMatchObject({ userId: 'u-other-elder' });
  });

  it("keeps an earlier version's device switch as a choice until the account answers", () => {
    const storage = memoryStorage();
    storage.setItem(LEGACY_ELDER_KEY, '1');
    const store = createElderStore(storage, world().sources);
    expect([store.get(), store.reason()]).toEqual([true, 'choice']);
    expect(storage.getItem(LEGACY_ELDER_KEY)).toBeNull();
  });

  it('notifies subscribers on change only, and stops after unsubscribe', () => {
    const w = world();
    const listener = vi.fn();
    const unsubscribe = w.store.subscribe(listener);
    w.store.set(true);
    w.store.set(true);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    w.store.set(false);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

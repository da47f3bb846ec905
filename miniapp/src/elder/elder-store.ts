import type { KeyValueStorage } from '../api/tokens';
import { ageToday, decideElderMode, type ElderReason } from './elder-decision';

export const ELDER_KEY = 'linli.elder';
/** The device-wide switch of earlier versions; read once so nobody's large text vanishes on update. */
export const LEGACY_ELDER_KEY = 'linli.elderMode';

/** What the store keeps of the signed-in person (from /v1/me), so a reload decides at once. */
export interface ElderProfile {
  userId: string;
  birthDate: string | null;
  /** Their own choice, the same on every device; null = automatic. */
  elderMode: boolean | null;
}

interface Saved {
  userId: string | null;
  birthDate: string | null;
  choice: boolean | null;
  /** The automatic reason whose note the person already closed (知道了). */
  noteSeen: ElderReason | null;
}

export interface ElderSources {
  /** Whether a family member is acting for an elder right now, and how to hear when that changes. */
  actingForElder(): boolean;
  subscribeActing(listener: () => void): () => void;
  /** The phone's or browser's text size is large. */
  largeSystemText: boolean;
  /** Saves the person's choice on their account (PATCH /v1/me); the store has already applied it. */
  saveChoice?(on: boolean | null): Promise<void>;
  now?(): Date;
}

export interface ElderStore {
  /** Elder mode on or off, as decided now. */
  get(): boolean;
  reason(): ElderReason;
  /** The one-line "turned on for you, switch it off in 我的" note is due. */
  noteVisible(): boolean;
  /** The person's own choice: wins over everything automatic, and is saved on their account. */
  set(on: boolean): void;
  toggle(): void;
  /** Back to automatic (age, proxy, text size). */
  clearChoice(): void;
  dismissNote(): void;
  /** The signed-in person as /v1/me describes them (never while acting: that describes the elder). */
  applyProfile(profile: ElderProfile): void;
  /** Signed out: nobody's choice or age applies any more. */
  reset(): void;
  /** Returns an unsubscribe function; listeners run after every change. */
  subscribe(listener: () => void): () => void;
}

const EMPTY: Saved = { userId: null, birthDate: null, choice: null, noteSeen: null };

/**
 * Elder mode (长辈模式) as a tiny persisted store, readable with useSyncExternalStore. It turns
 * itself on for an 80+ person, a family member acting for an elder, or large system text; the
 * person's own choice always wins and lives on their account, so it follows them to another phone.
 */
export function createElderStore(storage: KeyValueStorage, sources: ElderSources): ElderStore {
  let saved = read(storage);
  const listeners = new Set<() => void>();
  const now = sources.now ?? (() => new Date());

  function decide(): { on: boolean; reason: ElderReason; note: boolean } {
    const { on, reason } = decideElderMode({
      choice: saved.choice,
      actingForElder: sources.actingForElder(),
      age: ageToday(saved.birthDate, now()),
      largeSystemText: sources.largeSystemText,
    });
    // The note shows while the app turned the mode on by itself, until closed for that reason.
    return { on, reason, note: on && reason !== 'choice' && saved.noteSeen !== reason };
  }

  let current = decide();

  function refresh(): void {
    const next = decide();
    if (next.on === current.on && next.reason === current.reason && next.note === current.note) return;
    current = next;
    for (const listener of [...listeners]) listener();
  }

  function write(next: Saved): void {
    saved = next;
    storage.setItem(ELDER_KEY, JSON.stringify(saved));
    refresh();
  }

  // Choices tapped but not yet saved on the account: a profile read answered meanwhile was read
  // before the save, so its elderMode must not undo what the person just tapped.
  let unsaved = 0;
  const save = (on: boolean | null) => {
    unsaved++;
    void Promise.resolve(sources.saveChoice?.(on))
      .catch(() => undefined)
      .finally(() => {
        unsaved--;
      });
  };

  const store: ElderStore = {
    get: () => current.on,
    reason: () => current.reason,
    noteVisible: () => current.note,
    set(on) {
      if (saved.choice === on) return;
      write({ ...saved, choice: on });
      save(on);
    },
    toggle: () => store.set(!current.on),
    clearChoice() {
      if (saved.choice === null) return;
      write({ ...saved, choice: null, noteSeen: null });
      save(null);
    },
    dismissNote() {
      if (current.note) write({ ...saved, noteSeen: current.reason });
    },
    applyProfile(p) {
      const sameUser = saved.userId === p.userId;
      write({
        userId: p.userId,
        birthDate: p.birthDate,
        choice: sameUser && unsaved > 0 ? saved.choice : p.elderMode,
        noteSeen: sameUser ? saved.noteSeen : null,
      });
    },
    reset() {
      write({ ...EMPTY });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };

  // Starting or ending 代办 moves the decision without touching what is saved.
  sources.subscribeActing(refresh);
  return store;
}

function read(storage: KeyValueStorage): Saved {
  const raw = storage.getItem(ELDER_KEY);
  if (raw) {
    try {
      const v = JSON.parse(raw) as Partial<Saved>;
      return {
        userId: typeof v.userId === 'string' ? v.userId : null,
        birthDate: typeof v.birthDate === 'string' ? v.birthDate : null,
        choice: typeof v.choice === 'boolean' ? v.choice : null,
        noteSeen: typeof v.noteSeen === 'string' ? (v.noteSeen as ElderReason) : null,
      };
    } catch {
      // corrupt entry: decide afresh
    }
  }
  // An earlier version's device switch counts as a choice until the account says otherwise.
  const legacy = storage.getItem(LEGACY_ELDER_KEY) === '1';
  if (legacy) storage.removeItem(LEGACY_ELDER_KEY);
  return { ...EMPTY, choice: legacy ? true : null };
}

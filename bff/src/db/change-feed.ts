import postgres from 'postgres';

/**
 * What changed in the database, as PostgreSQL tells every process: triggers (migration 0015)
 * call pg_notify in the transaction that makes the change, so a notice goes out exactly when the
 * change commits, whichever code path or process made it, and a rolled-back change sends none.
 * In-process caches (sessions, catalog pages) drop entries on a notice. A cache may serve only
 * while the feed is `live`: while the listening connection is down notices can be missed, so
 * caches are bypassed, and every cache is flushed again once it is back.
 *
 * The feed keeps its own connection and its own reconnect loop: postgres.js's `sql.listen` gives
 * up for good when its first reconnect attempt fails (during a PostgreSQL restart, say).
 */
export interface ChangeFeed {
  readonly live: boolean;
  /** `onNotice` gets each payload on `channel`; `onReset` runs whenever notices may have been missed. */
  subscribe(channel: string, onNotice: (payload: string) => void, onReset: () => void): void;
  /**
   * Delivers a notice to this process's subscribers now. For a writer that has just committed:
   * the database's own notice reaches the other processes, but may reach this one only after its
   * next request has already been answered from the cache.
   */
  announce(channel: string, payload: string): void;
  close(): Promise<void>;
}

interface Subscriber {
  onNotice(payload: string): void;
  onReset(): void;
}

/** Every feed open in this process (tests open several). */
const openFeeds = new Set<ChangeFeed>();

/**
 * Tells this process's caches now, from inside a transaction that is about to make the change:
 * what they drop is reloaded by the next request, which sees the change once it commits. A load
 * racing the commit could keep the old answer, but only until the database's own notice for the
 * same change arrives a moment later; the notice is what every other process relies on anyway.
 */
export function announceHere(channel: string, payload: string): void {
  for (const feed of openFeeds) feed.announce(channel, payload);
}

/** The channels the triggers notify on. */
export const CHANNELS = { auth: 'linli_auth', catalog: 'linli_catalog' } as const;

export function openChangeFeed(
  url: string,
  opts: { retryMs?: number; onError?: (err: unknown) => void } = {},
): ChangeFeed {
  const retryMs = opts.retryMs ?? 500;
  const subscribers = new Map<string, Subscriber[]>();
  let live = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let connecting = false;
  /** Channels LISTENed on the current connection. */
  const listening = new Set<string>();

  const reset = () => {
    for (const list of subscribers.values()) for (const s of list) s.onReset();
  };
  const goDown = () => {
    live = false;
    reset();
  };

  const sql = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: 0,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: 'linli-change-feed' },
    onnotify: (channel: string, payload: string) => {
      for (const s of subscribers.get(channel) ?? []) s.onNotice(payload);
    },
    onclose: () => {
      listening.clear();
      if (closed) return;
      goDown();
      schedule();
    },
  } as postgres.Options<Record<string, never>>);

  function schedule() {
    if (closed || timer || connecting) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    timer.unref();
  }

  async function connect() {
    if (closed || connecting) return;
    connecting = true;
    try {
      // Channels subscribed while this runs are picked up by the same loop.
      for (let next = unheard(); next; next = unheard()) {
        await sql.unsafe(`LISTEN "${next}"`);
        listening.add(next);
      }
      // Whatever was cached before this point may have missed a notice.
      reset();
      live = !closed;
    } catch (err) {
      live = false;
      opts.onError?.(err);
      connecting = false;
      schedule();
      return;
    }
    connecting = false;
  }

  const unheard = () => [...subscribers.keys()].find((c) => !listening.has(c));

  const feed: ChangeFeed = {
    get live() {
      return live;
    },
    subscribe(channel, onNotice, onReset) {
      if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
      const list = subscribers.get(channel) ?? [];
      list.push({ onNotice, onReset });
      subscribers.set(channel, list);
      // Until the new channel is listened to, its notices could be missed: not live meanwhile.
      live = false;
      void connect();
    },
    announce(channel, payload) {
      for (const s of subscribers.get(channel) ?? []) s.onNotice(payload);
    },
    async close() {
      closed = true;
      live = false;
      openFeeds.delete(feed);
      if (timer) clearTimeout(timer);
      await sql.end({ timeout: 2 });
    },
  };
  openFeeds.add(feed);
  return feed;
}

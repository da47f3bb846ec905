import type { Role } from 'shared';
import { CHANNELS, type ChangeFeed } from '../../db/change-feed';

/**
 * Each warm sign-in's roles and liveness, kept in this process so a request checks them without
 * asking the database. Never a TTL: an entry leaves the moment PostgreSQL says the person's roles
 * changed or their sign-in was revoked (the triggers of migration 0015), and nothing is served
 * while the feed is down. A load that was in flight when a notice arrived is not kept: it may
 * have read the world from before the change.
 */
export class SessionCache {
  private readonly byUser = new Map<string, Map<string, Role[] | null>>();
  private readonly userOfSession = new Map<string, string>();
  private size = 0;
  /** Bumped by every notice and reset; a load only stores if it has not moved. */
  private epoch = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly max = 50_000,
  ) {
    feed.subscribe(
      CHANNELS.auth,
      (payload) => this.drop(payload),
      () => this.clear(),
    );
  }

  async roles(
    userId: string,
    sessionId: string,
    load: () => Promise<Role[] | null>,
    /** Skip the remembered answer (and remember the new one). */
    fresh = false,
  ): Promise<Role[] | null> {
    if (this.feed.live && !fresh) {
      const hit = this.byUser.get(userId)?.get(sessionId);
      if (hit !== undefined) return hit;
    }
    const seen = this.epoch;
    const wasLive = this.feed.live;
    const value = await load();
    if (wasLive && this.feed.live && seen === this.epoch) this.store(userId, sessionId, value);
    return value;
  }

  private store(userId: string, sessionId: string, value: Role[] | null) {
    if (this.size >= this.max) this.clear();
    let sessions = this.byUser.get(userId);
    if (!sessions) {
      sessions = new Map();
      this.byUser.set(userId, sessions);
    }
    if (!sessions.has(sessionId)) this.size += 1;
    sessions.set(sessionId, value);
    this.userOfSession.set(sessionId, userId);
  }

  private drop(payload: string) {
    this.epoch += 1;
    if (payload === '*') return this.clear();
    const id = payload.slice(2);
    if (payload.startsWith('u:')) {
      const sessions = this.byUser.get(id);
      if (!sessions) return;
      for (const s of sessions.keys()) this.userOfSession.delete(s);
      this.size -= sessions.size;
      this.byUser.delete(id);
    } else if (payload.startsWith('s:')) {
      const userId = this.userOfSession.get(id);
      if (!userId) return;
      this.userOfSession.delete(id);
      const sessions = this.byUser.get(userId);
      if (sessions?.delete(id)) this.size -= 1;
    }
  }

  private clear() {
    this.epoch += 1;
    this.byUser.clear();
    this.userOfSession.clear();
    this.size = 0;
  }
}

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChangeFeed } from '../db/change-feed';
import { SessionCache } from '../modules/auth/session-cache';
import { notModified, PageCache, pageOf } from './page-cache';

/** A feed the test drives: notices, resets and going down, as PostgreSQL's would arrive. */
function fakeFeed() {
  const subs: { channel: string; onNotice(p: string): void; onReset(): void }[] = [];
  const feed = {
    live: true,
    subscribe(channel: string, onNotice: (p: string) => void, onReset: () => void) {
      subs.push({ channel, onNotice, onReset });
    },
    announce(channel: string, payload: string) {
      for (const s of subs) if (s.channel === channel) s.onNotice(payload);
    },
    close: async () => {},
  };
  return {
    feed: feed as ChangeFeed & { live: boolean },
    notice: (channel: string, payload = '') => feed.announce(channel, payload),
    reset: () => {
      for (const s of subs) s.onReset();
    },
  };
}

const Schema = z.object({ n: z.number() });

describe('PageCache', () => {
  it('serves a page until it is ttl old, then builds it again', async () => {
    let now = 0;
    let builds = 0;
    const { feed } = fakeFeed();
    const cache = new PageCache(feed, 'linli_catalog', 1000, 100, () => now);
    const build = async () => pageOf(Schema, { n: ++builds });
    expect((await cache.get('k', build)).body).toBe('{"n":1}');
    now = 999;
    expect((await cache.get('k', build)).body).toBe('{"n":1}');
    now = 1000;
    expect((await cache.get('k', build)).body).toBe('{"n":2}');
  });

  it('forgets everything on a notice, and a build in flight across it is not kept', async () => {
    const f = fakeFeed();
    const cache = new PageCache(f.feed, 'linli_catalog', 60_000, 100, () => 0);
    let builds = 0;
    let release!: () => void;
    const slow = () =>
      new Promise<ReturnType<typeof pageOf>>((resolve) => {
        release = () => resolve(pageOf(Schema, { n: ++builds }));
      });
    const pending = cache.get('k', slow);
    f.notice('linli_catalog');
    release();
    expect((await pending).body).toBe('{"n":1}');
    // Not kept: the next get builds afresh.
    expect((await cache.get('k', async () => pageOf(Schema, { n: 99 }))).body).toBe('{"n":99}');
    f.notice('linli_catalog');
    expect((await cache.get('k', async () => pageOf(Schema, { n: 100 }))).body).toBe('{"n":100}');
  });

  it('shares one build among concurrent misses of a key', async () => {
    const { feed } = fakeFeed();
    const cache = new PageCache(feed, 'linli_catalog', 1000, 100, () => 0);
    let builds = 0;
    const build = async () => {
      builds += 1;
      await new Promise((r) => setTimeout(r, 10));
      return pageOf(Schema, { n: builds });
    };
    const pages = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', build)));
    expect(builds).toBe(1);
    expect(new Set(pages.map((p) => p.body))).toEqual(new Set(['{"n":1}']));
  });

  it('caches nothing while the feed is down, or without a feed', async () => {
    const f = fakeFeed();
    f.feed.live = false;
    let builds = 0;
    const build = async () => pageOf(Schema, { n: ++builds });
    const down = new PageCache(f.feed, 'linli_catalog', 60_000, 100, () => 0);
    await down.get('k', build);
    await down.get('k', build);
    const none = new PageCache(undefined, 'linli_catalog', 60_000, 100, () => 0);
    await none.get('k', build);
    await none.get('k', build);
    expect(builds).toBe(4);
  });

  it('validates with the response schema: unknown fields never reach the cached body', () => {
    const page = pageOf(Schema, { n: 1, secret: 'x' });
    expect(page.body).toBe('{"n":1}');
    expect(page.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(pageOf(Schema, { n: 1 }).etag).toBe(page.etag);
    expect(pageOf(Schema, { n: 2 }).etag).not.toBe(page.etag);
  });
});

describe('If-None-Match', () => {
  it('matches weakly, in lists and with *', () => {
    const etag = 'W/"abc"';
    expect(notModified('W/"abc"', etag)).toBe(true);
    expect(notModified('"abc"', etag)).toBe(true);
    expect(notModified('"x", W/"abc"', etag)).toBe(true);
    expect(notModified('*', etag)).toBe(true);
    expect(notModified('"abd"', etag)).toBe(false);
    expect(notModified(undefined, etag)).toBe(false);
  });
});

describe('SessionCache', () => {
  it('remembers roles per sign-in and forgets the person, the sign-in, or everyone on notice', async () => {
    const f = fakeFeed();
    const cache = new SessionCache(f.feed);
    let loads = 0;
    const load = async () => {
      loads += 1;
      return ['resident' as const];
    };
    await cache.roles('u1', 's1', load);
    await cache.roles('u1', 's1', load);
    await cache.roles('u1', 's2', load);
    expect(loads).toBe(2);
    f.notice('linli_auth', 's:s1');
    await cache.roles('u1', 's1', load);
    await cache.roles('u1', 's2', load);
    expect(loads).toBe(3);
    f.notice('linli_auth', 'u:u1');
    await cache.roles('u1', 's2', load);
    expect(loads).toBe(4);
    f.notice('linli_auth', '*');
    await cache.roles('u1', 's2', load);
    expect(loads).toBe(5);
    f.reset();
    await cache.roles('u1', 's2', load);
    expect(loads).toBe(6);
    await cache.roles('u1', 's2', load, true);
    expect(loads).toBe(7);
  });

  it('does not keep a load that a revocation overtook', async () => {
    const f = fakeFeed();
    const cache = new SessionCache(f.feed);
    let release!: (v: null | ['resident']) => void;
    const pending = cache.roles('u1', 's1', () => new Promise((r) => (release = r)));
    f.notice('linli_auth', 's:s1');
    release(['resident']);
    await pending;
    expect(await cache.roles('u1', 's1', async () => null)).toBeNull();
  });
});

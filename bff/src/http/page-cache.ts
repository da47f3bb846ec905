import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { z } from 'zod';
import type { ChangeFeed } from '../db/change-feed';

/** A read's answer, validated and serialised once, with its validator. */
export interface Page {
  readonly body: string;
  readonly etag: string;
  /** The gzip of `body`, made the first time a client that accepts it asks. */
  gzip?: Buffer;
}

const PAGE = Symbol('page');
type Marked = Page & { [PAGE]: true };

/** Runs the route's response schema over `value` (unknown fields never leave) and serialises it. */
export function pageOf(schema: z.ZodType, value: unknown): Page {
  const body = JSON.stringify(schema.parse(value));
  const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
  return { body, etag, [PAGE]: true } as Marked;
}

export const isPage = (x: unknown): x is Page => typeof x === 'object' && x !== null && PAGE in x;

/** The gzip of a page, kept with it: a cached page is compressed once, not once per request. */
export function gzipOf(page: Page): Buffer {
  page.gzip ??= gzipSync(page.body, { level: 6 });
  return page.gzip;
}

/** RFC 9110 weak comparison of If-None-Match against our validator (`*` matches anything). */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const weak = (t: string) => t.trim().replace(/^W\//, '');
  const ours = weak(etag);
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || weak(t) === ours);
}

/**
 * Answers of one read kept in this process for at most `ttlMs`, keyed by what was asked. Emptied
 * the moment the change feed's channel says the data behind them changed, and not used at all
 * while the feed is down (or absent: embedded PGlite). Concurrent misses of one key share one
 * build, so an expired hot page costs one query, not one per waiting request.
 */
export class PageCache {
  private readonly pages = new Map<string, { page: Page; at: number }>();
  private readonly building = new Map<string, Promise<Page>>();
  private epoch = 0;

  constructor(
    private readonly feed: ChangeFeed | undefined,
    channel: string,
    private readonly ttlMs: number,
    private readonly max = 2_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    feed?.subscribe(
      channel,
      () => this.clear(),
      () => this.clear(),
    );
  }

  async get(key: string, build: () => Promise<Page>): Promise<Page> {
    const feed = this.feed;
    if (!feed?.live) return build();
    const hit = this.pages.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.page;
    const pending = this.building.get(key);
    if (pending) return pending;
    const seen = this.epoch;
    // The age counts from before the read: what it shows is at most ttlMs old when served.
    const at = this.now();
    const made = build().finally(() => {
      if (this.building.get(key) === made) this.building.delete(key);
    });
    this.building.set(key, made);
    const page = await made;
    if (seen === this.epoch && feed.live) {
      if (this.pages.size >= this.max) this.pages.clear();
      this.pages.set(key, { page, at });
    }
    return page;
  }

  private clear() {
    this.epoch += 1;
    this.pages.clear();
    // Builds in flight may have read the old data: later callers start their own.
    this.building.clear();
  }
}

import { DISPLAY_TZ } from 'shared';

/**
 * Pure pieces of the 邻里 feed, shared by the tab (main package), the post pages (neighbors/), the
 * review queue (office/) and a shop's 邻居推荐 (shop/): times, folding, image grids, likes.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The calendar date and wall clock of an instant in the display zone. */
function zonedParts(d: Date, tz: string) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  // Some engines write midnight as 24:00.
  const hour = get('hour') === '24' ? '00' : get('hour');
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${hour}:${get('minute')}` };
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / (24 * HOUR);

/**
 * When a post or comment was written, as a neighbour says it: 刚刚, 5分钟前, 3小时前 (the same day),
 * 昨天 08:30, 11-28 20:15 this year, 2025-12-30 before. Calendar days in Asia/Shanghai.
 */
export function relativeTime(iso: string, now: Date = new Date(), tz: string = DISPLAY_TZ): string {
  const at = new Date(iso);
  const ago = now.getTime() - at.getTime();
  // A clock a little ahead of ours still reads as 刚刚.
  if (ago < MINUTE) return '刚刚';
  const then = zonedParts(at, tz);
  const today = zonedParts(now, tz);
  const days = dayNumber(today.date) - dayNumber(then.date);
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)}分钟前`;
  if (days === 0) return `${Math.floor(ago / HOUR)}小时前`;
  if (days === 1) return `昨天 ${then.time}`;
  if (then.date.slice(0, 4) === today.date.slice(0, 4)) return `${then.date.slice(5)} ${then.time}`;
  return then.date;
}

/** Lines the feed shows of a post before 全文. */
export const FOLD_LINES = 6;

/**
 * Whether a post's text needs folding: its lines at `perLine` characters a line (a wide character
 * counts one, a Latin one half), each paragraph starting a new line. The fold itself is CSS
 * (line-clamp); this only decides whether 全文 is offered.
 */
export function needsFold(text: string, perLine: number, maxLines: number = FOLD_LINES): boolean {
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let width = 0;
    for (const ch of paragraph) width += ch.charCodeAt(0) < 0x2e80 ? 0.55 : 1;
    lines += Math.max(1, Math.ceil(width / perLine));
    if (lines > maxLines) return true;
  }
  return false;
}

/** Characters a feed line holds: 375-wide phone, card padding, 15px text (20px in elder mode). */
export const charsPerLine = (elder: boolean) => (elder ? 15 : 20);

/**
 * How a post's images sit: one large, four as 2x2 (as WeChat Moments does), the rest three across.
 */
export type GridKind = 'single' | 'square' | 'three';
export function gridKind(count: number): GridKind {
  if (count === 1) return 'single';
  if (count === 4) return 'square';
  return 'three';
}

export interface LikeState {
  liked: boolean;
  likeCount: number;
}

/** The like as shown right after a tap, before the BFF answers; a tap again undoes it. */
export function toggledLike(s: LikeState): LikeState {
  return s.liked
    ? { liked: false, likeCount: Math.max(0, s.likeCount - 1) }
    : { liked: true, likeCount: s.likeCount + 1 };
}

/** 赞 / 12 — the count next to the heart, or the word when nobody has yet. */
export const countText = (n: number, word: string) => (n > 0 ? String(n) : word);

/**
 * Updates one post in a loaded list by id (a like, a deletion), leaving the others as they are.
 * `patch` returns null to drop the post.
 */
export function patchById<T extends { id: string }>(
  items: T[],
  id: string,
  patch: (item: T) => T | null,
): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (item.id !== id) out.push(item);
    else {
      const next = patch(item);
      if (next) out.push(next);
    }
  }
  return out;
}

/** How one image alone sits: landscape, portrait or about square (boxes of fixed size, cropped). */
export function singleAspect(width: number, height: number): 'wide' | 'tall' | 'even' {
  if (width > height * 1.2) return 'wide';
  if (height > width * 1.2) return 'tall';
  return 'even';
}

/** The badge in place of an avatar: the name's first character, or 邻 for someone unnamed. */
export const avatarChar = (name: string) => [...name.trim()][0] ?? '邻';

/** The author as neighbours see them: their name, or 邻居 when they have not set one. */
export const authorName = (name: string) => name.trim() || '邻居';

/** The community whose feed to show: where my verified household is; null when I have none. */
export function homeCommunity(
  memberships: readonly { status: string; communityId: string; address: string }[],
): { communityId: string; name: string } | null {
  const home = memberships.find((m) => m.status === 'approved');
  if (!home) return null;
  return { communityId: home.communityId, name: home.address.split(' · ')[0] ?? '' };
}

/** 我的动态（3）, or （20+） while more pages are still to load (the page of posts has no total). */
export const myPostsHeading = (loaded: number, hasMore: boolean): string =>
  `我的动态（${loaded}${hasMore ? '+' : ''}）`;

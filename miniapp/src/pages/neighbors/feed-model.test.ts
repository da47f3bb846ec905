import { describe, expect, it } from 'vitest';
import {
  authorName,
  avatarChar,
  charsPerLine,
  countText,
  gridKind,
  homeCommunity,
  myPostsHeading,
  needsFold,
  patchById,
  relativeTime,
  singleAspect,
  toggledLike,
} from './feed-model';

describe('relativeTime', () => {
  // 2026-12-01 20:00 in Shanghai.
  const now = new Date('2026-12-01T12:00:00Z');

  it('says 刚刚, minutes and hours the same day', () => {
    expect(relativeTime('2026-12-01T11:59:30Z', now)).toBe('刚刚');
    // A post stamped slightly in our future (clock skew) is not "-1分钟前".
    expect(relativeTime('2026-12-01T12:00:20Z', now)).toBe('刚刚');
    expect(relativeTime('2026-12-01T11:55:00Z', now)).toBe('5分钟前');
    expect(relativeTime('2026-12-01T09:00:00Z', now)).toBe('3小时前');
  });

  it('counts calendar days in Shanghai, not 24-hour spans or UTC days', () => {
    // 2026-12-01 00:30 Shanghai is 2026-11-30 in UTC: still today.
    expect(relativeTime('2026-11-30T16:30:00Z', now)).toBe('19小时前');
    // 2026-11-30 23:50 Shanghai: yesterday, though only 8 hours ago.
    expect(relativeTime('2026-11-30T15:50:00Z', now)).toBe('昨天 23:50');
    expect(relativeTime('2026-11-28T12:15:00Z', now)).toBe('11-28 20:15');
    expect(relativeTime('2025-12-30T02:00:00Z', now)).toBe('2025-12-30');
  });
});

describe('needsFold', () => {
  it('folds past six lines, counting paragraphs and wrapped lines', () => {
    expect(needsFold('短短一句', 20)).toBe(false);
    expect(needsFold('一\n二\n三\n四\n五\n六', 20)).toBe(false);
    expect(needsFold('一\n二\n三\n四\n五\n六\n七', 20)).toBe(true);
    expect(needsFold('字'.repeat(120), 20)).toBe(false);
    expect(needsFold('字'.repeat(121), 20)).toBe(true);
    // Latin letters are narrower: 200 of them fit in six lines of 20 Chinese characters.
    expect(needsFold('a'.repeat(200), 20)).toBe(false);
  });

  it('folds sooner in elder mode, where fewer characters fit a line', () => {
    const text = '字'.repeat(100);
    expect(needsFold(text, charsPerLine(false))).toBe(false);
    expect(needsFold(text, charsPerLine(true))).toBe(true);
  });
});

describe('gridKind', () => {
  it('shows one image large, four as a square, others three across', () => {
    expect(gridKind(1)).toBe('single');
    expect(gridKind(4)).toBe('square');
    expect([2, 3, 5, 9].map(gridKind)).toEqual(['three', 'three', 'three', 'three']);
  });
});

describe('likes', () => {
  it('toggles optimistically and never counts below zero', () => {
    expect(toggledLike({ liked: false, likeCount: 2 })).toEqual({ liked: true, likeCount: 3 });
    expect(toggledLike({ liked: true, likeCount: 3 })).toEqual({ liked: false, likeCount: 2 });
    expect(toggledLike({ liked: true, likeCount: 0 })).toEqual({ liked: false, likeCount: 0 });
    expect(countText(0, '赞')).toBe('赞');
    expect(countText(12, '赞')).toBe('12');
  });

  it('patches or drops one item of a list by id', () => {
    const items = [
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ];
    expect(patchById(items, 'b', (x) => ({ ...x, n: 5 }))).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 5 },
    ]);
    expect(patchById(items, 'a', () => null)).toEqual([{ id: 'b', n: 2 }]);
    expect(patchById(items, 'z', () => null)).toEqual(items);
  });
});

describe('the rest of a post card', () => {
  it('sizes one image by its shape', () => {
    expect(singleAspect(1600, 900)).toBe('wide');
    expect(singleAspect(900, 1600)).toBe('tall');
    expect(singleAspect(1000, 1100)).toBe('even');
  });

  it('names the author, or calls them 邻居', () => {
    expect(avatarChar('王阿姨')).toBe('王');
    expect(avatarChar('  ')).toBe('邻');
    expect(avatarChar('😀小明')).toBe('😀');
    expect(authorName(' ')).toBe('邻居');
    expect(authorName('李叔')).toBe('李叔');
  });

  it('finds the community of my verified household only', () => {
    const pending = { status: 'pending', communityId: 'c2', address: '别的社区 · 1栋' };
    const approved = { status: 'approved', communityId: 'c1', address: '黌门街社区 · 银杏院 · 2栋 · 301' };
    expect(homeCommunity([pending])).toBeNull();
    expect(homeCommunity([pending, approved])).toEqual({ communityId: 'c1', name: '黌门街社区' });
  });
});

describe('myPostsHeading', () => {
  it('counts my posts, with + while more are still to load', () => {
    expect(myPostsHeading(3, false)).toBe('我的动态（3）');
    expect(myPostsHeading(20, true)).toBe('我的动态（20+）');
  });
});

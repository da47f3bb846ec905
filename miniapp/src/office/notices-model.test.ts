import { describe, expect, it } from 'vitest';
import { householdsText, noticeDraft, readRateText, unreadCount } from './notices-model';

describe('发布公告', () => {
  it('trims and checks title and text', () => {
    expect(noticeDraft({ title: ' 停水通知 ', body: ' 明天 9 点停水 ', imageIds: [], pinned: true })).toEqual(
      {
        ok: true,
        draft: { title: '停水通知', body: '明天 9 点停水', imageIds: [], pinned: true },
      },
    );
    expect(
      noticeDraft({ title: '', body: '字'.repeat(5001), imageIds: Array(10).fill('x'), pinned: false }),
    ).toEqual({
      ok: false,
      errors: { title: '请填写公告标题', body: '内容请在 5000 字以内', images: '最多 9 张图片' },
    });
  });

  it('says the read rate by person and household', () => {
    const s = { members: 40, read: 12, rate: 0.3, households: 20, householdsRead: 8 };
    expect(readRateText(s)).toBe('已读 12 / 40 人（30%）');
    expect(householdsText(s)).toBe('8 / 20 户至少有一人已读');
    expect(unreadCount(s)).toBe(28);
    expect(readRateText({ ...s, members: 0, read: 0, rate: 0 })).toBe('社区还没有已认证的居民');
  });
});

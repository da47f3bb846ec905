import { REPORT_REASONS } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  causeLine,
  groupedNotes,
  REMOVE_REASONS,
  reasonSummary,
  removeReasonProblem,
  removeReasonText,
  targetLabel,
  wordProblem,
} from './moderation-model';

const target = {
  status: 'hidden' as const,
  topic: 'pets' as const,
  title: null,
  text: 'x',
  images: [],
  author: { id: 'a', name: '王' },
  createdAt: '2026-12-01T00:00:00Z',
};

describe('the review queue', () => {
  it('sums up report reasons, most reported first', () => {
    expect(
      reasonSummary([
        { reason: 'abuse', count: 1 },
        { reason: 'spam', count: 3 },
      ]),
    ).toBe('垃圾广告 ×3、辱骂攻击 ×1');
    expect(reasonSummary([])).toBe('');
  });

  it('says what is under review and why', () => {
    expect(targetLabel({ targetType: 'post', target })).toBe('动态 · 宠物');
    expect(targetLabel({ targetType: 'comment', target: { ...target, topic: null } })).toBe('评论');
    expect(causeLine({ cause: 'reports', checkLabel: null, reportCount: 3 })).toBe(
      '多人举报，已自动隐藏 · 3 人举报',
    );
    expect(causeLine({ cause: 'content_review', checkLabel: '广告', reportCount: 0 })).toBe(
      '内容安全检查建议人工复核 · 检测结果：广告',
    );
  });

  it("needs a removal reason the author can read, from the residents' report list or 其他", () => {
    expect(REMOVE_REASONS).toEqual(REPORT_REASONS);
    expect(removeReasonProblem(null, '')).toBe('请选择删除原因，作者会收到');
    expect(removeReasonProblem('other', '  ')).toBe('请写下删除原因，作者会收到');
    expect(removeReasonProblem('other', '字'.repeat(201))).toBe('原因最多 200 字');
    expect(removeReasonProblem('fraud', '')).toBeNull();
    expect(removeReasonText('fraud', 'ignored')).toBe('诈骗信息');
    expect(removeReasonText('other', '  冒充物业收费 ')).toBe('冒充物业收费');
  });

  it('lists identical report notes once, with how many sent them', () => {
    expect(
      groupedNotes(['<i>可疑链接</i>', '不是本小区的人', '<i>可疑链接</i> ', '<i>可疑链接</i>']),
    ).toEqual(['<i>可疑链接</i> ×3', '不是本小区的人']);
    expect(groupedNotes([' ', ''])).toEqual([]);
  });
});

describe('sensitive words', () => {
  it('takes 1..20 characters not already listed', () => {
    expect(wordProblem(' ', [])).toBe('请输入要屏蔽的词');
    expect(wordProblem('字'.repeat(21), [])).toBe('每个词最多 20 字');
    expect(wordProblem('WeiXin', ['weixin'])).toBe('这个词已经在列表里了');
    expect(wordProblem('代开发票', ['weixin'])).toBeNull();
  });
});

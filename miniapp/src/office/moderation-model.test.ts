import { describe, expect, it } from 'vitest';
import { causeLine, reasonSummary, removeReasonProblem, targetLabel, wordProblem } from './moderation-model';

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

  it('needs a removal reason the author can read', () => {
    expect(removeReasonProblem('  ')).toBe('请写下删除原因，作者会收到');
    expect(removeReasonProblem('字'.repeat(201))).toBe('原因最多 200 字');
    expect(removeReasonProblem('广告引流')).toBeNull();
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

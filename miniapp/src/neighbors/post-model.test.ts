import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import {
  commentCount,
  commentProblem,
  commentView,
  replyHead,
  replyTargetOf,
  reportedToast,
  sendReport,
} from './post-model';

const person = (name: string) => ({ id: `u-${name}`, name });

describe('commentView', () => {
  it('shows published words to everyone', () => {
    expect(commentView({ status: 'published', mine: false, text: '好的', moderation: null })).toEqual({
      text: '好的',
      note: null,
    });
  });

  it('shows the author their hidden or removed comment with why; others a placeholder', () => {
    const removed = {
      status: 'removed' as const,
      text: '广告',
      moderation: { reason: '广告引流', at: null },
    };
    expect(commentView({ ...removed, mine: true })).toEqual({
      text: '广告',
      note: '已被社区删除。原因：广告引流',
    });
    expect(commentView({ ...removed, mine: false })).toEqual({ text: null, note: '该评论已被社区删除' });
    expect(commentView({ status: 'hidden', mine: false, text: 'x', moderation: null })).toEqual({
      text: null,
      note: '该评论已被隐藏',
    });
  });
});

describe('replies', () => {
  it('name whom they answer inside a thread', () => {
    expect(replyHead({ author: person('王阿姨'), replyTo: null })).toBe('王阿姨');
    expect(replyHead({ author: person('王阿姨'), replyTo: person('') })).toBe('王阿姨 回复 邻居');
    expect(replyTargetOf({ id: 'c1', author: person('李叔') })).toEqual({ parentId: 'c1', name: '李叔' });
  });
});

describe('the comment box', () => {
  it('needs words, at most 500 characters counted as code points', () => {
    expect(commentProblem('  ')).toBe('请写点内容');
    expect(commentProblem('👍'.repeat(500))).toBeNull();
    expect(commentProblem('字'.repeat(501))).toBe('评论最多 500 字');
    expect(commentCount('👍👍')).toBe('2/500');
  });
});

describe('sendReport', () => {
  const refusal = (code: string, status: number) => async () => {
    throw new ApiError({ code, message: code, status });
  };

  it('treats an earlier report on file as done, so 举报 turns into 已举报 either way', async () => {
    expect(await sendReport(async () => ({}))).toBe('reported');
    expect(await sendReport(refusal('NEIGHBOR_ALREADY_REPORTED', 409))).toBe('already');
    expect(reportedToast('already')).toBe('你已经举报过了，社区会尽快处理');
  });

  it('still fails on any other refusal', async () => {
    await expect(sendReport(refusal('NEIGHBOR_POST_NOT_FOUND', 404))).rejects.toBeInstanceOf(ApiError);
  });
});

import { describe, expect, it } from 'vitest';
import { alertCounter, alertProblem, progressPercent, progressText, sendConfirmText } from './alerts-model';

describe('urgent alerts', () => {
  it('counts to 110 and says by how much a text is over', () => {
    expect(alertCounter('今晚停水')).toEqual({ text: '4/110', over: 0 });
    expect(alertCounter('水'.repeat(112))).toEqual({ text: '112/110', over: 2 });
    expect(alertCounter('停水😀')).toEqual({ text: '3/110', over: 0 });
    expect(alertProblem('  ')).toBe('请写下要通知的内容');
    expect(alertProblem('水'.repeat(110))).toBeNull();
    expect(alertProblem('水'.repeat(111))).toBe('最多 110 字，已超出 1 字');
  });

  it('asks with the number of members it reaches', () => {
    expect(sendConfirmText(1234)).toBe(
      '将立即推送给本社区 1234 位居民（站内消息和微信提醒）。推送发出后收不回；之后只能从首页横幅撤下。',
    );
    expect(sendConfirmText(0)).toContain('没有人会收到');
  });

  it('shows the fan-out reaching N of M', () => {
    expect(progressText({ reached: 3000, total: 10000, done: false })).toBe(
      '正在推送：已送达 3,000 / 10,000 人',
    );
    expect(progressText({ reached: 10000, total: 10000, done: true })).toBe('已全部送达 10,000 人');
    expect(progressPercent({ reached: 2999, total: 10000, done: false })).toBe(29);
    expect(progressPercent({ reached: 0, total: 0, done: false })).toBe(100);
  });
});

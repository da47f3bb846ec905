import { describe, expect, it } from 'vitest';
import { bannerText, emergencyStage, liveEmergencies, stageText, timelineLines } from './emergency-model';

const NOW = new Date('2025-12-02T02:00:00Z');

describe('emergencies', () => {
  const call = {
    status: 'raised' as const,
    can: { answer: true, acknowledge: false, resolve: false, cancel: false },
    address: null,
    phone: null,
    responderName: null,
    elderName: '刘奶奶',
    createdAt: '2025-12-02T01:58:00Z',
    testMode: false,
  };

  it('knows whether to answer, whether someone else did, or whether it is mine', () => {
    expect(emergencyStage(call, false)).toBe('open');
    const answered = {
      ...call,
      status: 'answered' as const,
      can: { ...call.can, answer: false },
      responderName: '钱志愿',
    };
    expect(emergencyStage(answered, false)).toBe('taken');
    expect(stageText(answered, 'taken')).toBe('已有志愿者响应（钱志愿），感谢您的关注');
    expect(emergencyStage({ ...answered, address: '银杏院 2栋 301', phone: '138' }, false)).toBe('mine');
    expect(emergencyStage(answered, true)).toBe('mine');
    expect(emergencyStage({ ...answered, status: 'resolved' }, true)).toBe('closed');
  });

  it('puts live calls in the banner', () => {
    expect(liveEmergencies([call, { ...call, status: 'resolved' as const }])).toHaveLength(1);
    expect(bannerText(call, NOW)).toBe('刘奶奶 09:58 发出紧急求助，点此查看并响应');
    expect(
      bannerText({ ...call, testMode: true, can: { ...call.can, answer: false }, status: 'answered' }, NOW),
    ).toBe('【演练】刘奶奶的紧急求助：志愿者已响应（今天 12月2日 09:58）');
  });

  it('orders the timeline and keeps the BFF’s Chinese words', () => {
    const lines = timelineLines(
      [
        { kind: 'answered', who: '钱志愿', detail: 'answered', at: '2025-12-02T02:01:00Z' },
        { kind: 'raised', who: null, detail: '刘奶奶按下了求助按钮', at: '2025-12-02T01:58:00Z' },
        { kind: 'told', who: '赵志愿', detail: '附近志愿者；演练', at: '2025-12-02T01:58:30Z' },
      ],
      NOW,
    );
    expect(lines.map((l) => l.text)).toEqual([
      '刘奶奶按下了求助按钮',
      '已通知您前往帮忙',
      '钱志愿 志愿者响应',
    ]);
    expect(lines[0]!.when).toBe('今天 12月2日 09:58');
  });
});

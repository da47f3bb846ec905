import { describe, expect, it } from 'vitest';
import { dutyLine, isPaused, pauseUntil, profileStage, weekLoad } from './profile-model';

const NOW = new Date('2025-12-02T02:00:00Z');

describe('profile stage', () => {
  it('leads each state to its card', () => {
    expect(profileStage(null)).toEqual({ kind: 'none' });
    expect(profileStage({ status: 'pending', reviewNote: null, suspendReason: null })).toEqual({
      kind: 'pending',
    });
    expect(profileStage({ status: 'rejected', reviewNote: '姓名与身份证不符', suspendReason: null })).toEqual(
      {
        kind: 'rejected',
        note: '姓名与身份证不符',
      },
    );
    expect(profileStage({ status: 'rejected', reviewNote: '  ', suspendReason: null })).toMatchObject({
      note: '社区未说明原因，可联系社区工作人员了解',
    });
    expect(profileStage({ status: 'suspended', reviewNote: null, suspendReason: '多次爽约' })).toEqual({
      kind: 'suspended',
      reason: '多次爽约',
    });
  });
});

describe('duty and pause', () => {
  it('pauses for a week from now', () => {
    expect(pauseUntil(7, NOW)).toBe('2025-12-09T02:00:00.000Z');
    expect(isPaused('2025-12-09T02:00:00.000Z', NOW)).toBe(true);
    expect(isPaused('2025-12-01T02:00:00.000Z', NOW)).toBe(false);
    expect(isPaused(null, NOW)).toBe(false);
  });

  it('says whether offers come', () => {
    expect(dutyLine({ onDuty: true, pausedUntil: null }, NOW)).toBe(
      '有合适的任务时会派给您，也可以去任务大厅自己接单',
    );
    expect(dutyLine({ onDuty: false, pausedUntil: null }, NOW)).toBe(
      '不会收到新的派单，任务大厅仍可自己接单',
    );
    expect(dutyLine({ onDuty: true, pausedUntil: '2025-12-09T02:00:00Z' }, NOW)).toBe(
      '12月9日 10:00 前不会收到派单，任务大厅仍可自己接单',
    );
    // A pause that has run out no longer counts.
    expect(dutyLine({ onDuty: true, pausedUntil: '2025-12-01T02:00:00Z' }, NOW)).toMatch(/^有合适的任务/);
  });

  it('measures the week against the cap', () => {
    expect(weekLoad({ weekMin: 200, weeklyCapMin: 900 })).toEqual({
      text: '本周已安排 3小时20分 / 上限 15小时，还可接 11小时40分',
      share: 200 / 900,
      full: false,
    });
    expect(weekLoad({ weekMin: 960, weeklyCapMin: 900 })).toMatchObject({ share: 1, full: true });
  });
});

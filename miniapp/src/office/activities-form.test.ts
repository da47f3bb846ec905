import { describe, expect, it } from 'vitest';
import { type ActivityForm, activityDraft, rosterOrder } from './activities-form';

const NOW = new Date('2026-12-02T02:00:00Z');
const form: ActivityForm = {
  title: ' 包饺子 ',
  description: '',
  place: '活动中心',
  date: '2026-12-05',
  start: '09:00',
  end: '11:30',
  capacity: '３0',
  groupId: '',
};

describe('发布社区活动', () => {
  it('builds the body in UTC from Shanghai times, with the group only when chosen', () => {
    expect(activityDraft(form, NOW)).toEqual({
      ok: true,
      draft: {
        title: '包饺子',
        description: '',
        place: '活动中心',
        startsAt: '2026-12-05T01:00:00.000Z',
        endsAt: '2026-12-05T03:30:00.000Z',
        capacity: 30,
      },
    });
    expect(activityDraft({ ...form, groupId: 'g1' }, NOW)).toMatchObject({ draft: { groupId: 'g1' } });
  });

  it('names each problem', () => {
    expect(activityDraft({ ...form, title: '', end: '08:00', capacity: '0' }, NOW)).toEqual({
      ok: false,
      errors: {
        title: '请填写活动名称',
        time: '结束时间需晚于开始时间',
        capacity: '名额请填 1 到 5000 的整数',
      },
    });
    expect(activityDraft({ ...form, date: '2026-12-01' }, NOW)).toMatchObject({
      errors: { time: '开始时间已经过去了' },
    });
  });

  it('orders the roster: present, signed up, then the waitlist by position', () => {
    const rows = [
      { id: 'w2', status: 'waitlisted', waitlistPosition: 2 },
      { id: 's', status: 'signed_up', waitlistPosition: null },
      { id: 'w1', status: 'waitlisted', waitlistPosition: 1 },
      { id: 'c', status: 'checked_in', waitlistPosition: null },
    ];
    expect(rosterOrder(rows).map((r) => r.id)).toEqual(['c', 's', 'w1', 'w2']);
  });
});

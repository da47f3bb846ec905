import type { EmergencyCall } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  emergencyStatusText,
  emergencyTone,
  eventText,
  eventTime,
  headlineText,
  isLive,
} from './emergency-text';

const NOW = new Date('2026-03-10T01:30:00Z');

describe('emergencies', () => {
  it('is live until resolved or cancelled', () => {
    expect(isLive({ status: 'raised' })).toBe(true);
    expect(isLive({ status: 'acknowledged' })).toBe(true);
    expect(isLive({ status: 'resolved' })).toBe(false);
    expect(isLive({ status: 'cancelled' })).toBe(false);
    expect(emergencyStatusText({ status: 'raised', testMode: true })).toBe('【演练】正在呼叫');
    expect(emergencyTone('raised')).toBe('rejected');
    expect(emergencyTone('resolved')).toBe('approved');
    expect(eventTime(NOW.toISOString())).toBe('09:30');
    expect(headlineText({ testMode: true, headline: '【演练】已通知家人' })).toBe('已通知家人');
    expect(headlineText({ testMode: false, headline: '【演练】已通知家人' })).toBe('【演练】已通知家人');
  });

  it('reads a timeline event in Chinese whatever the BFF sent', () => {
    const ev = (over: Partial<EmergencyCall['timeline'][number]>) => ({
      kind: 'notified',
      who: '赵志愿',
      channel: 'wechat',
      round: 0,
      detail: '',
      at: NOW.toISOString(),
      ...over,
    });
    expect(eventText(ev({}))).toBe('赵志愿 · 已通知（微信通知）');
    expect(eventText(ev({ kind: 'answered', channel: null, detail: '马上到' }))).toBe(
      '赵志愿 · 已响应：马上到',
    );
    expect(eventText(ev({ kind: 'something_new', who: null, channel: null, detail: 'english only' }))).toBe(
      '进展',
    );
    expect(eventText(ev({ kind: '已通知家属', who: null, channel: 'pager' }))).toBe('已通知家属');
  });
});

import { describe, expect, it } from 'vitest';
import { addDays, zonedInstant } from './zoned';

describe('zoned instants', () => {
  it('turns Shanghai wall time into UTC (UTC+8, no DST)', () => {
    expect(zonedInstant('2026-11-23', '14:00', 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    );
    expect(zonedInstant('2026-11-23', '00:30', 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-22T16:30:00.000Z',
    );
  });

  it('follows a zone with DST', () => {
    expect(zonedInstant('2026-07-01', '12:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-07-01T10:00:00.000Z',
    );
    expect(zonedInstant('2026-12-01', '12:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-12-01T11:00:00.000Z',
    );
  });

  it('adds days across month ends', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

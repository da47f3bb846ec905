import { localClock } from '../market/hours';

/** Adds days to a local calendar date (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The UTC instant of a local wall time in a zone ("14:00 on 2026-11-23 in Asia/Shanghai"). Schedules
 * are written in local time; everything stored is this instant.
 */
export function zonedInstant(date: string, hhmm: string, tz: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const asUtc = Date.parse(`${date}T00:00:00Z`) + (h! * 60 + m!) * 60_000;
  // The zone's offset at that moment, read back through the local clock; twice for DST edges.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const seen = localClock(new Date(guess), tz);
    const seenUtc = Date.parse(`${seen.date}T00:00:00Z`) + seen.minute * 60_000;
    guess += asUtc - seenUtc;
  }
  return new Date(guess);
}

/**
 * Time as the domain sees it: cut-offs, windows, pickup deadlines. Production reads the wall clock;
 * tests move a clock forward instead of sleeping ("it is now 14:00, build the batch").
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface TestClock extends Clock {
  /** Moves time forward (or back) by `ms`. */
  advance(ms: number): void;
  /** Sets the current instant. */
  set(at: Date): void;
}

export function testClock(start: Date = new Date()): TestClock {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
    set(at) {
      offset = at.getTime() - Date.now();
    },
  };
}

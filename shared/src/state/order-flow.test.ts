import { describe, expect, it } from 'vitest';
import { orderFlow, paymentFlow } from './flows';
import { can, eventsFrom, next } from './machine';

/** States reachable from `start` by any sequence of events. */
function reachable(start: (typeof orderFlow.states)[number]) {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const s = queue.shift()!;
    for (const e of eventsFrom(orderFlow, s)) {
      const to = next(orderFlow, s, e);
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

describe('the order flow', () => {
  it('follows the product brief along the locker path', () => {
    const path = ['pay', 'accept', 'pack', 'batch', 'drop', 'collect', 'complete'] as const;
    let s: (typeof orderFlow.states)[number] = 'created';
    for (const e of path) s = next(orderFlow, s, e);
    expect(s).toBe('completed');
  });

  it('reaches every state from created', () => {
    expect([...reachable('created')].sort()).toEqual([...orderFlow.states].sort());
  });

  it('lets the resident cancel only before the merchant accepts', () => {
    expect(can(orderFlow, 'created', 'cancel')).toBe(true);
    expect(can(orderFlow, 'paid', 'cancel')).toBe(true);
    for (const s of ['accepted', 'packed', 'in_locker', 'picked_up'] as const)
      expect(can(orderFlow, s, 'cancel')).toBe(false);
  });

  it('never leaves cancelled or refunded, and never refunds what was never accepted', () => {
    expect(eventsFrom(orderFlow, 'cancelled')).toEqual([]);
    expect(eventsFrom(orderFlow, 'refunded')).toEqual([]);
    expect(can(orderFlow, 'paid', 'refund')).toBe(false);
    expect(can(orderFlow, 'created', 'refund')).toBe(false);
  });

  it('times out only unpaid orders', () => {
    expect(orderFlow.transitions.expire.from).toEqual(['created']);
  });

  it('confirms a payment that was closed (money arrived late) so it can be refunded', () => {
    expect(next(paymentFlow, 'closed', 'confirm')).toBe('succeeded');
    expect(next(paymentFlow, 'succeeded', 'startRefund')).toBe('refunding');
    expect(eventsFrom(paymentFlow, 'refunded')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { can, eventsFrom } from './machine';
import { AWAITING_RESOLUTION_STATES, OPEN_REQUEST_STATES, requestFlow } from './request-flows';

describe('the resident request flow', () => {
  it('runs submitted -> dispatched -> accepted -> resolved -> closed, with reopen and reject as branches', () => {
    expect(eventsFrom(requestFlow, 'submitted')).toEqual(['dispatch', 'reject', 'withdraw']);
    expect(eventsFrom(requestFlow, 'dispatched')).toEqual(['dispatch', 'accept', 'decline', 'withdraw']);
    expect(eventsFrom(requestFlow, 'accepted')).toEqual(['dispatch', 'resolve']);
    expect(eventsFrom(requestFlow, 'resolved')).toEqual(['close', 'reopen']);
    expect(eventsFrom(requestFlow, 'reopened')).toEqual(['dispatch', 'accept', 'decline']);
    for (const end of ['closed', 'rejected', 'withdrawn'] as const)
      expect(eventsFrom(requestFlow, end)).toEqual([]);
  });

  it('rejects only before anyone works on it, and lets the resident withdraw only before it was accepted', () => {
    expect(can(requestFlow, 'dispatched', 'reject')).toBe(false);
    expect(can(requestFlow, 'accepted', 'withdraw')).toBe(false);
  });

  it('keeps the resolution clock running in every open state', () => {
    expect([...AWAITING_RESOLUTION_STATES].sort()).toEqual([...OPEN_REQUEST_STATES].sort());
  });
});

import { describe, expect, it } from 'vitest';
import { membershipFlow, proxyLinkFlow } from './flows';
import { can, defineMachine, eventsFrom, IllegalTransition, next, sourcesOf } from './machine';

describe('state machines as data', () => {
  it('moves along declared transitions only', () => {
    expect(next(membershipFlow, 'pending', 'approve')).toBe('approved');
    expect(() => next(membershipFlow, 'approved', 'reject')).toThrow(IllegalTransition);
    expect(() => next(membershipFlow, 'rejected', 'approve')).toThrow(
      'membership: cannot approve from rejected',
    );
  });

  it('tells which states an event may start from (the WHERE of the update)', () => {
    expect(sourcesOf(proxyLinkFlow, 'revoke')).toEqual(['pending', 'granted']);
    expect(sourcesOf(proxyLinkFlow, 'consent')).toEqual(['pending']);
  });

  it('lists the events a person can trigger from a state', () => {
    expect(eventsFrom(proxyLinkFlow, 'pending')).toEqual(['consent', 'revoke']);
    expect(eventsFrom(proxyLinkFlow, 'granted')).toEqual(['revoke']);
    expect(eventsFrom(proxyLinkFlow, 'revoked')).toEqual([]);
    expect(can(membershipFlow, 'pending', 'reject')).toBe(true);
  });

  it('refuses a machine that names a state it does not have', () => {
    expect(() =>
      defineMachine({
        name: 'bad',
        states: ['a', 'b'],
        transitions: { go: { from: ['a'], to: 'c' as 'b' } },
      }),
    ).toThrow('bad.go: unknown state c');
  });

  it('terminal states have no way out', () => {
    for (const s of ['approved', 'rejected'] as const) expect(eventsFrom(membershipFlow, s)).toEqual([]);
  });
});

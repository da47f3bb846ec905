import { defineMachine } from './machine';

/** A request to be recorded as living in a household; staff decide once. */
export const membershipFlow = defineMachine({
  name: 'membership',
  states: ['pending', 'approved', 'rejected'],
  transitions: {
    approve: { from: ['pending'], to: 'approved' },
    reject: { from: ['pending'], to: 'rejected' },
  },
});

/** A family member acting for an elder: only after the elder's consent; either side may end it. */
export const proxyLinkFlow = defineMachine({
  name: 'proxy_link',
  states: ['pending', 'granted', 'revoked'],
  transitions: {
    consent: { from: ['pending'], to: 'granted' },
    revoke: { from: ['pending', 'granted'], to: 'revoked' },
  },
});

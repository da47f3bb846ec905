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

/**
 * A produce or shop order, as in DOMAIN.md. Stock is reserved at `created`; every way into
 * `cancelled` releases it. The locker states (in_batch, in_locker, overdue, returned) are driven by
 * the delivery-batch work; shop pickup and home delivery go packed -> picked_up when the merchant
 * checks the resident's pickup code at hand-over.
 */
export const orderFlow = defineMachine({
  name: 'order',
  states: [
    'created',
    'paid',
    'accepted',
    'packed',
    'in_batch',
    'in_locker',
    'picked_up',
    'completed',
    'cancelled',
    'overdue',
    'returned',
    'refunded',
  ],
  transitions: {
    pay: { from: ['created'], to: 'paid' },
    /** The unpaid-order timeout. */
    expire: { from: ['created'], to: 'cancelled' },
    /** The resident, before the merchant has accepted. */
    cancel: { from: ['created', 'paid'], to: 'cancelled' },
    accept: { from: ['paid'], to: 'accepted' },
    reject: { from: ['paid'], to: 'cancelled' },
    pack: { from: ['accepted'], to: 'packed' },
    batch: { from: ['packed'], to: 'in_batch' },
    drop: { from: ['in_batch'], to: 'in_locker' },
    /** Shop pickup or home delivery: the merchant checks the pickup code. */
    handOver: { from: ['packed'], to: 'picked_up' },
    collect: { from: ['in_locker', 'overdue'], to: 'picked_up' },
    complete: { from: ['picked_up'], to: 'completed' },
    miss: { from: ['in_locker'], to: 'overdue' },
    return: { from: ['overdue'], to: 'returned' },
    refund: { from: ['accepted', 'packed', 'picked_up', 'completed', 'overdue', 'returned'], to: 'refunded' },
  },
});

/** Money taken for an order. A confirmation for a closed payment still succeeds (the money moved) and is refunded. */
export const paymentFlow = defineMachine({
  name: 'payment',
  states: ['pending', 'succeeded', 'closed', 'refunding', 'refunded'],
  transitions: {
    confirm: { from: ['pending', 'closed'], to: 'succeeded' },
    close: { from: ['pending'], to: 'closed' },
    startRefund: { from: ['succeeded'], to: 'refunding' },
    finishRefund: { from: ['refunding'], to: 'refunded' },
  },
});

/** A resident's refund request after the merchant accepted; unanswered requests are approved by a job. */
export const refundFlow = defineMachine({
  name: 'refund',
  states: ['requested', 'approved', 'rejected'],
  transitions: {
    approve: { from: ['requested'], to: 'approved' },
    reject: { from: ['requested'], to: 'rejected' },
  },
});

/** Staff verify a shop before it can sell; the owner may pause and resume it. */
export const merchantFlow = defineMachine({
  name: 'merchant',
  states: ['pending', 'open', 'paused', 'closed'],
  transitions: {
    verify: { from: ['pending'], to: 'open' },
    pause: { from: ['open'], to: 'paused' },
    resume: { from: ['paused'], to: 'open' },
    close: { from: ['open', 'paused'], to: 'closed' },
  },
});

import { describe, expect, it } from 'vitest';
import { canRequestRefund, eventText, statusHint } from './order-labels';

const refund = (status: 'requested' | 'approved' | 'rejected') => ({
  id: '0',
  status,
  reason: '',
  photos: [],
  amountFen: 0,
  merchantNote: null,
  autoApproved: false,
  createdAt: '',
  decidedAt: null,
});

describe('order detail labels', () => {
  it('offers a refund after the merchant accepted, when none is open', () => {
    expect(canRequestRefund({ status: 'paid', refund: null })).toBe(false);
    expect(canRequestRefund({ status: 'created', refund: null })).toBe(false);
    expect(canRequestRefund({ status: 'accepted', refund: null })).toBe(true);
    expect(canRequestRefund({ status: 'picked_up', refund: null })).toBe(true);
    expect(canRequestRefund({ status: 'packed', refund: refund('requested') })).toBe(false);
    expect(canRequestRefund({ status: 'packed', refund: refund('rejected') })).toBe(true);
    expect(canRequestRefund({ status: 'refunded', refund: refund('approved') })).toBe(false);
  });

  it('names timeline events, falling back to the state', () => {
    expect(eventText({ event: 'accept', status: 'accepted' })).toBe('商家已接单');
    expect(eventText({ event: 'somethingNew', status: 'packed' })).toBe('待取货');
  });

  it('hints by delivery mode', () => {
    expect(statusHint({ status: 'packed', delivery: { mode: 'shop_pickup', address: null } })).toContain(
      '取货码',
    );
    expect(statusHint({ status: 'cancelled', delivery: { mode: 'shop_pickup', address: null } })).toBeNull();
  });
});

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
    expect(statusHint({ status: 'accepted', delivery: { mode: 'locker', address: null } })).toContain(
      '生鲜柜',
    );
  });

  it('names the locker states and events', () => {
    const locker = { mode: 'locker' as const, address: null };
    // In the batch: on the way only once the courier set out.
    const inBatch = (batchStatus: 'ready' | 'in_progress', events: string[] = []) => ({
      status: 'in_batch' as const,
      delivery: locker,
      locker: { batchStatus },
      timeline: events.map((event) => ({ event })),
    });
    expect(statusHint(inBatch('ready'))).toBe('已截单，商家正在备货，等待骑手出发配送。');
    expect(statusHint(inBatch('ready', ['pack']))).toBe('已截单，商家已备好货，等待骑手出发配送。');
    expect(statusHint(inBatch('in_progress'))).toContain('骑手已出发，商品正在送往生鲜柜');
    expect(statusHint({ status: 'in_batch', delivery: locker })).not.toContain('送往');
    expect(eventText({ event: 'batch', status: 'in_batch' })).toBe('已截单，安排配送批次');
    expect(statusHint({ status: 'in_locker', delivery: locker })).toContain('取件码');
    expect(statusHint({ status: 'overdue', delivery: locker })).toContain('延长保管');
    expect(statusHint({ status: 'returned', delivery: locker })).toContain('退回');
    expect(eventText({ event: 'drop', status: 'in_locker' })).toBe('已放入生鲜柜');
    expect(eventText({ event: 'extend', status: 'in_locker' })).toBe('已延长保管');
    expect(eventText({ event: 'unknownLockerEvent', status: 'overdue' })).toBe('超时未取');
  });
});

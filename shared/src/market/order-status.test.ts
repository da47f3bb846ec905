import { describe, expect, it } from 'vitest';
import { formatOrderNumber, mayPackInBatch, orderStatusLabel } from './order-status';

const locker = (batchStatus: 'building' | 'ready' | 'in_progress' | 'done' | null) => ({
  status: 'in_batch' as const,
  delivery: { mode: 'locker' as const },
  locker: { batchStatus },
});

describe('order numbers', () => {
  it('reads as the local day and the shop’s sequence that day', () => {
    expect(formatOrderNumber('2026-12-02', 7, 'x')).toBe('1202-007');
    expect(formatOrderNumber('2026-01-31', 1234, 'x')).toBe('0131-1234');
  });
  it('keeps the uuid tail for orders older than numbers', () => {
    expect(formatOrderNumber(null, null, '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe('4a5b');
  });
});

describe('order status labels', () => {
  it('says 待配送 while the batch waits for its courier, 配送中 once the courier set out', () => {
    expect(orderStatusLabel(locker('building'))).toBe('待配送');
    expect(orderStatusLabel(locker('ready'))).toBe('待配送');
    expect(orderStatusLabel(locker(null))).toBe('待配送');
    expect(orderStatusLabel(locker('in_progress'))).toBe('配送中');
    expect(orderStatusLabel(locker('done'))).toBe('配送中');
  });
  it('never says 待取货 for a packed order nobody can collect at the shop', () => {
    const packed = (mode: 'locker' | 'home' | 'shop_pickup') => ({
      status: 'packed' as const,
      delivery: { mode },
    });
    expect(orderStatusLabel(packed('locker'))).toBe('已备货');
    expect(orderStatusLabel(packed('home'))).toBe('待送货');
    expect(orderStatusLabel(packed('shop_pickup'))).toBe('待取货');
  });
  it('uses the state’s own name elsewhere', () => {
    expect(orderStatusLabel({ status: 'in_locker', delivery: { mode: 'locker' }, locker: null })).toBe(
      '已入柜',
    );
    expect(orderStatusLabel({ status: 'accepted', delivery: { mode: 'locker' } })).toBe('备货中');
  });
});

describe('packing after the cut-off', () => {
  const order = (batchStatus: 'ready' | 'in_progress', events: string[]) => ({
    ...locker(batchStatus),
    timeline: events.map((event) => ({ event })),
  });
  it('is offered once, while the courier has not set out', () => {
    expect(mayPackInBatch(order('ready', ['accept', 'batch']))).toBe(true);
    expect(mayPackInBatch(order('ready', ['accept', 'pack', 'batch']))).toBe(false);
    expect(mayPackInBatch(order('in_progress', ['accept', 'batch']))).toBe(false);
    expect(mayPackInBatch({ ...order('ready', []), status: 'accepted' })).toBe(false);
  });
});

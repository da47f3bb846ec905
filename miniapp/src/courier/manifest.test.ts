import { describe, expect, it } from 'vitest';
import { dropProgress, type Manifest, markDropped, replaceDrop } from './manifest';

const drop = (orderId: string, compartmentId: string, dropped = false) => ({
  orderId,
  orderNumber: `1202-00${orderId.slice(1)}`,
  compartmentId,
  label: compartmentId.toUpperCase(),
  size: 'M' as const,
  zone: 'chilled' as const,
  dropped,
});

const manifest = (): Manifest => ({
  batch: {
    id: 'b',
    windowId: 'w',
    cutoffAt: '',
    deliverAt: '',
    status: 'in_progress',
    courier: null,
    orderCount: 2,
    droppedCount: 0,
    bankCount: 2,
  },
  pickList: [],
  dropList: [
    { bankId: 'k1', bankName: '一号柜', location: '', drops: [drop('o1', 'a01', true), drop('o1', 'a02')] },
    { bankId: 'k2', bankName: '二号柜', location: '', drops: [drop('o2', 'b01', true)] },
  ],
  retrievals: [],
});

describe('courier manifest', () => {
  it('counts an order done only when all its compartments are', () => {
    expect(dropProgress(manifest())).toEqual({ compartments: 3, dropped: 2, orders: 2, ordersDone: 1 });
    expect(dropProgress(markDropped(manifest(), 'a02'))).toEqual({
      compartments: 3,
      dropped: 3,
      orders: 2,
      ordersDone: 2,
    });
  });

  it('swaps a broken compartment for its replacement in place, or drops it when there is none', () => {
    const swapped = replaceDrop(manifest(), 'a02', drop('o1', 'a05'));
    expect(swapped.dropList[0]!.drops.map((d) => d.compartmentId)).toEqual(['a01', 'a05']);
    expect(replaceDrop(manifest(), 'a02', null).dropList[0]!.drops).toHaveLength(1);
  });
});

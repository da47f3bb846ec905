import type { DeliveryWindow, PackLine } from 'shared';
import { describe, expect, it } from 'vitest';
import { kindText } from '../lockers/labels';
import {
  bankFits,
  defaultBank,
  freeSlotsFor,
  type LockerDemand,
  lockerAdvice,
  needText,
  packLinesOf,
  slotsOf,
  takeSlots,
  type WindowAvailability,
} from './locker-fit';

const chilledM: PackLine = { zone: 'chilled', size: 'M' };
const ambientS: PackLine = { zone: 'ambient', size: 'S' };
const ambientL: PackLine = { zone: 'ambient', size: 'L' };

const win = (id: string, hour: number): DeliveryWindow => ({
  id,
  communityId: 'c',
  cutoffAt: `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`,
  deliverAt: `2026-11-20T${String(hour + 3).padStart(2, '0')}:00:00.000Z`,
  status: 'open',
});

const avail = (windowId: string, banks: Record<string, [PackLine['zone'], PackLine['size'], number][]>) =>
  ({
    windowId,
    banks: Object.entries(banks).map(([bankId, free]) => ({
      bankId,
      name: `柜${bankId}`,
      location: '门口',
      free: free.map(([zone, size, count]) => ({ zone, size, count })),
    })),
  }) satisfies WindowAvailability;

describe('availability as slots', () => {
  it('expands free counts into one slot per compartment', () => {
    const slots = slotsOf([
      { zone: 'chilled', size: 'M', count: 2 },
      { zone: 'ambient', size: 'S', count: 1 },
      { zone: 'frozen', size: 'L', count: 0 },
    ]);
    expect(slots).toHaveLength(3);
    expect(new Set(slots.map((s) => s.id)).size).toBe(3);
    expect(slots.filter((s) => s.zone === 'chilled' && s.size === 'M')).toHaveLength(2);
  });

  it("reads each cart line's zone and size from the products, or gives up when one is unknown", () => {
    const specs = new Map([
      ['p1', chilledM],
      ['p2', ambientS],
    ]);
    expect(packLinesOf(['p1', 'p2'], specs)).toEqual([chilledM, ambientS]);
    expect(packLinesOf(['p1', 'p3'], specs)).toBeNull();
  });
});

describe('taking compartments', () => {
  it('puts a parcel into the smallest free compartment of its zone that holds it', () => {
    const free = slotsOf([
      { zone: 'chilled', size: 'L', count: 1 },
      { zone: 'chilled', size: 'M', count: 1 },
    ]);
    const left = takeSlots([chilledM], free);
    expect(left?.map((s) => s.size)).toEqual(['L']);
  });

  it('returns null when a zone has no compartment big enough', () => {
    expect(takeSlots([ambientL], slotsOf([{ zone: 'ambient', size: 'M', count: 3 }]))).toBeNull();
    expect(takeSlots([chilledM], slotsOf([{ zone: 'ambient', size: 'L', count: 3 }]))).toBeNull();
  });

  it('lets an earlier cart group take its compartments first at the same bank and window', () => {
    const a = avail('w1', { b1: [['chilled', 'M', 1]], b2: [['chilled', 'M', 1]] });
    const demands: LockerDemand[] = [
      { key: 'shopA', windowId: 'w1', bankId: 'b1', lines: [chilledM] },
      { key: 'shopB', windowId: 'w1', bankId: 'b1', lines: [chilledM] },
    ];
    expect(freeSlotsFor(a, demands, 'shopA').get('b1')).toHaveLength(1);
    expect(freeSlotsFor(a, demands, 'shopB').get('b1')).toHaveLength(0);
    const fits = bankFits(a, demands, 'shopB', [chilledM]);
    expect(fits.map((b) => [b.bankId, b.fits])).toEqual([
      ['b1', false],
      ['b2', true],
    ]);
    // Another window is not touched.
    expect(freeSlotsFor(avail('w2', { b1: [['chilled', 'M', 1]] }), demands, 'shopB').get('b1')).toHaveLength(
      1,
    );
  });
});

describe('locker advice at checkout', () => {
  const windows = [win('w1', 6), win('w2', 14), win('w3', 18), win('w4', 20), win('w5', 21)];
  const base = {
    key: 'shop',
    lines: [chilledM, ambientS],
    windows,
    demands: [],
    modes: { home: true, shopPickup: false },
  };

  it('says the chosen bank fits and offers nothing else', () => {
    const availability = new Map([
      [
        'w1',
        avail('w1', {
          b1: [
            ['chilled', 'M', 1],
            ['ambient', 'S', 1],
          ],
        }),
      ],
    ]);
    const a = lockerAdvice({ ...base, windowId: 'w1', bankId: 'b1', availability });
    expect(a.fits).toBe(true);
    expect(a.otherBanks).toEqual([]);
    expect(a.laterWindows).toEqual([]);
    expect(a.otherModes).toEqual([]);
  });

  it('is unknown until the window is loaded or while the lines are unknown', () => {
    expect(lockerAdvice({ ...base, windowId: 'w1', bankId: 'b1', availability: new Map() }).fits).toBeNull();
    const availability = new Map([['w1', avail('w1', { b1: [] })]]);
    const unknown = lockerAdvice({ ...base, lines: null, windowId: 'w1', bankId: 'b1', availability });
    expect(unknown.fits).toBeNull();
    expect(unknown.banks.map((b) => b.bankId)).toEqual(['b1']);
  });

  it('when the chosen bank is full: other banks with room, later windows to load, the other modes', () => {
    const availability = new Map([
      [
        'w1',
        avail('w1', {
          b1: [
            ['chilled', 'M', 0],
            ['ambient', 'S', 5],
          ],
          b2: [
            ['chilled', 'L', 1],
            ['ambient', 'M', 1],
          ],
          b3: [['ambient', 'S', 9]],
        }),
      ],
    ]);
    const a = lockerAdvice({ ...base, windowId: 'w1', bankId: 'b1', availability });
    expect(a.fits).toBe(false);
    expect(a.otherBanks.map((b) => b.bankId)).toEqual(['b2']);
    // At most three later windows are looked at, and each is loaded first.
    expect(a.toLoad).toEqual(['w2', 'w3', 'w4']);
    expect(a.otherModes).toEqual(['home']);
  });

  it('offers later windows with room, preferring the chosen bank', () => {
    const full = avail('w1', { b1: [], b2: [] });
    const availability = new Map([
      ['w1', full],
      ['w2', avail('w2', { b1: [], b2: [] })],
      [
        'w3',
        avail('w3', {
          b1: [],
          b2: [
            ['chilled', 'M', 1],
            ['ambient', 'S', 1],
          ],
        }),
      ],
      [
        'w4',
        avail('w4', {
          b1: [
            ['chilled', 'M', 1],
            ['ambient', 'S', 1],
          ],
          b2: [
            ['chilled', 'M', 1],
            ['ambient', 'S', 1],
          ],
        }),
      ],
    ]);
    const a = lockerAdvice({
      ...base,
      windowId: 'w1',
      bankId: 'b1',
      availability,
      modes: { home: true, shopPickup: true },
    });
    expect(a.otherBanks).toEqual([]);
    expect(a.toLoad).toEqual([]);
    expect(a.laterWindows.map((l) => [l.window.id, l.bank.bankId])).toEqual([
      ['w3', 'b2'],
      ['w4', 'b1'],
    ]);
    expect(a.otherModes).toEqual(['home', 'shop_pickup']);
  });

  it('starts with the chosen bank when listed, else the first with room', () => {
    const banks = bankFits(avail('w1', { b1: [], b2: [['ambient', 'S', 1]] }), [], 'k', [ambientS]);
    expect(defaultBank(banks, 'b1')).toBe('b1');
    expect(defaultBank(banks, 'gone')).toBe('b2');
    expect(defaultBank(banks, null)).toBe('b2');
    expect(defaultBank([], null)).toBeNull();
  });

  it('says what the order needs', () => {
    expect(needText([chilledM, ambientS, ambientS, { zone: 'ambient', size: 'L' }], kindText)).toBe(
      '常温 大格 ×1、冷藏 中格 ×1、常温 中格 ×1',
    );
  });
});

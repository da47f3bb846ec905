import { describe, expect, it } from 'vitest';
import {
  ageOn,
  assignCaregiver,
  localMonth,
  openSlots,
  type SlotCaregiver,
  type SlotRequest,
  splitPrice,
  travelMinutes,
} from './slots';

const at = (local: string) => new Date(`${local}+08:00`).getTime();
const HOME = 'home';
const FAR = 'far';
const places = new Map([
  [HOME, { lat: 30.6512, lng: 104.0583 }],
  // About 1.1 km away.
  [FAR, { lat: 30.6612, lng: 104.0583 }],
]);
const item = {
  id: 'bath',
  durationMin: 60,
  bufferBeforeMin: 15,
  bufferAfterMin: 15,
  minNoticeMin: 120,
  dailyCap: 2,
};
/** Monday 7 December 2026, working 08:00–12:00. */
const morning = (over: Partial<SlotCaregiver> = {}): SlotCaregiver => ({
  id: 'a',
  hours: [{ weekday: 1, startMin: 8 * 60, endMin: 12 * 60 }],
  busy: [],
  timeOff: [],
  lastBookedAt: null,
  ...over,
});
const request = (caregivers: SlotCaregiver[], over: Partial<SlotRequest> = {}): SlotRequest => ({
  item,
  caregivers,
  compoundId: HOME,
  places,
  from: '2026-12-07',
  days: 1,
  now: at('2026-12-06T20:00:00'),
  tz: 'Asia/Shanghai',
  stepMin: 30,
  ...over,
});
const starts = (req: SlotRequest) => openSlots(req).map((s) => new Date(s.start).toISOString());
const iso = (local: string) => new Date(at(local)).toISOString();

describe('open slots', () => {
  it('fit the whole block (buffers included) inside the working stretch, on the grid', () => {
    // 08:00 + 15 before → first start 08:30; 60 + 15 after must end by 12:00 → last start 10:30.
    expect(starts(request([morning()]))).toEqual(
      ['08:30', '09:00', '09:30', '10:00', '10:30'].map((h) => iso(`2026-12-07T${h}:00`)),
    );
  });

  it('never on another weekday, nor across the end of the day', () => {
    const late = morning({ hours: [{ weekday: 1, startMin: 22 * 60, endMin: 24 * 60 }] });
    expect(starts(request([late]))).toEqual([iso('2026-12-07T22:30:00')]);
    expect(starts(request([morning()], { from: '2026-12-08' }))).toEqual([]);
  });

  it('keep the minimum notice', () => {
    expect(starts(request([morning()], { now: at('2026-12-07T07:30:00') }))).toEqual(
      ['09:30', '10:00', '10:30'].map((h) => iso(`2026-12-07T${h}:00`)),
    );
  });

  it('leave room for a booking, its buffers and the travel from another compound', () => {
    const busyHere = morning({
      busy: [
        {
          start: at('2026-12-07T09:45:00'),
          end: at('2026-12-07T11:15:00'),
          compoundId: HOME,
          itemId: 'x',
          localDate: '2026-12-07',
        },
      ],
    });
    // Ours ends with its after-buffer at 09:45 at the latest: only 08:30 fits before.
    expect(starts(request([busyHere]))).toEqual([iso('2026-12-07T08:30:00')]);
    const busyFar = morning({
      busy: [
        {
          start: at('2026-12-07T10:30:00'),
          end: at('2026-12-07T12:00:00'),
          compoundId: FAR,
          itemId: 'x',
          localDate: '2026-12-07',
        },
      ],
    });
    const gap = travelMinutes(places.get(FAR), places.get(HOME));
    expect(gap).toBeGreaterThan(15);
    // 09:00 would end (with buffer) at 10:15, less than the walk before 10:30.
    expect(starts(request([busyFar]))).toEqual([iso('2026-12-07T08:30:00')]);
  });

  it('skip time off and stop at the daily cap of the item', () => {
    const off = morning({ timeOff: [{ start: at('2026-12-07T08:00:00'), end: at('2026-12-07T10:00:00') }] });
    // The block (15 min before the start) may begin at 10:00: 10:15 is off the grid, so 10:30.
    expect(starts(request([off]))).toEqual([iso('2026-12-07T10:30:00')]);
    const capped = morning({
      hours: [{ weekday: 1, startMin: 8 * 60, endMin: 18 * 60 }],
      busy: ['13:00', '15:00'].map((h) => ({
        start: at(`2026-12-07T${h}:00`),
        end: at(`2026-12-07T${h}:00`) + 90 * 60_000,
        compoundId: HOME,
        itemId: 'bath',
        localDate: '2026-12-07',
      })),
    });
    expect(starts(request([capped]))).toEqual([]);
  });

  it('list each start once with every free caregiver, longest idle first', () => {
    const a = morning({ id: 'a', lastBookedAt: 5 });
    const b = morning({ id: 'b', lastBookedAt: null });
    const slots = openSlots(request([a, b]));
    expect(slots).toHaveLength(5);
    expect(slots[0]!.caregiverIds).toEqual(['b', 'a']);
  });
});

describe('assignment', () => {
  const a = morning({ id: 'a', lastBookedAt: 100 });
  const b = morning({ id: 'b', lastBookedAt: 50 });
  const nine = at('2026-12-07T09:00:00');
  it('gives the preferred caregiver the visit when free, else the longest idle', () => {
    expect(assignCaregiver(request([a, b]), nine, 'a')?.caregiverId).toBe('a');
    expect(assignCaregiver(request([a, b]), nine, null)?.caregiverId).toBe('b');
    const busyA = {
      ...a,
      busy: [{ start: nine, end: nine + 3600_000, compoundId: HOME, itemId: 'x', localDate: '2026-12-07' }],
    };
    expect(assignCaregiver(request([busyA, b]), nine, 'a')?.caregiverId).toBe('b');
  });
  it('says the local day, and nobody outside working hours', () => {
    expect(assignCaregiver(request([a]), nine, null)).toEqual({ caregiverId: 'a', localDate: '2026-12-07' });
    expect(assignCaregiver(request([a]), at('2026-12-07T13:00:00'), null)).toBeNull();
  });
});

describe('money and age', () => {
  it('splits a price: the smaller of the item share and the cap, never past the balance', () => {
    expect(
      splitPrice(12_000, { itemPercent: 50, capPercent: 50, balanceFen: 20_000, eligible: true }),
    ).toEqual({
      voucherFen: 6000,
      selfPayFen: 6000,
    });
    expect(
      splitPrice(12_000, { itemPercent: 80, capPercent: 30, balanceFen: 20_000, eligible: true }).voucherFen,
    ).toBe(3600);
    expect(splitPrice(12_000, { itemPercent: 50, capPercent: 50, balanceFen: 1000, eligible: true })).toEqual(
      {
        voucherFen: 1000,
        selfPayFen: 11_000,
      },
    );
    expect(
      splitPrice(12_000, { itemPercent: 50, capPercent: 50, balanceFen: 9000, eligible: false }).voucherFen,
    ).toBe(0);
    expect(
      splitPrice(12_001, { itemPercent: 50, capPercent: 50, balanceFen: 9000, eligible: true }).selfPayFen,
    ).toBe(6001);
  });
  it('counts age in whole years and months in local time', () => {
    expect(ageOn('1946-12-02', '2026-12-01')).toBe(79);
    expect(ageOn('1946-12-01', '2026-12-01')).toBe(80);
    expect(localMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SizeHint, Temperature } from '../contracts/market';
import { TEMPERATURES } from '../contracts/market';
import {
  type CompartmentSlot,
  countBySizeAndZone,
  defaultReachableRows,
  fitsIn,
  type OrderDemand,
  type PackLine,
  packBank,
  parcelsOf,
  prefersReachable,
  reachNote,
  SIZE_UNITS,
} from './packing';

const SIZES: SizeHint[] = ['S', 'M', 'L'];
const zone = fc.constantFrom<Temperature>(...TEMPERATURES);
const size = fc.constantFrom<SizeHint>(...SIZES);
const line: fc.Arbitrary<PackLine> = fc.record({ zone, size });
const lines = fc.array(line, { maxLength: 8 });

/** Free compartments of one bank, ids unique (the caller's free list never repeats one). */
const freeSlots = fc
  .array(fc.record({ zone, size }), { maxLength: 40 })
  .map((cs): CompartmentSlot[] => cs.map((c, i) => ({ id: `c${i}`, ...c })));

/** Orders with unique ids; short line lists, so most banks see contention and leftovers. */
const orders = fc
  .array(lines, { maxLength: 30 })
  .map((ls): OrderDemand[] => ls.map((l, i) => ({ orderId: `o${i}`, lines: l })));

const bank = fc.record({ orders, free: freeSlots });

const RUNS = { numRuns: 500 };
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('parcelsOf', () => {
  it('puts every line in exactly one parcel of its zone, at most an L, sized to the smallest that holds it', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const parcels = parcelsOf(ls);
        const seen = parcels.flatMap((p) => p.lines).sort((a, b) => a - b);
        expect(seen).toEqual(ls.map((_, i) => i));
        for (const p of parcels) {
          expect(p.lines.length).toBeGreaterThan(0);
          expect(p.units).toBe(p.lines.reduce((n, i) => n + SIZE_UNITS[ls[i]!.size], 0));
          expect(p.units).toBeLessThanOrEqual(SIZE_UNITS.L);
          for (const i of p.lines) expect(ls[i]!.zone).toBe(p.zone);
          expect(SIZE_UNITS[p.size]).toBeGreaterThanOrEqual(p.units);
          const smaller = SIZES.filter((s) => SIZE_UNITS[s] < SIZE_UNITS[p.size]);
          for (const s of smaller) expect(SIZE_UNITS[s]).toBeLessThan(p.units);
        }
      }),
      RUNS,
    );
  });

  it('uses no more parcels per zone than first-fit decreasing allows (each pair of parcels overflows an L)', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const parcels = parcelsOf(ls);
        for (const a of parcels)
          for (const b of parcels)
            if (a !== b && a.zone === b.zone) expect(a.units + b.units).toBeGreaterThan(SIZE_UNITS.L);
      }),
      RUNS,
    );
  });
});

describe('packBank properties', () => {
  it('never puts a parcel in a compartment too small (and never over an L)', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const byId = new Map(free.map((c) => [c.id, c]));
        for (const p of packBank(orders, free).placed)
          for (const parcel of p.parcels) {
            const c = byId.get(parcel.compartmentId);
            expect(c, `unknown compartment ${parcel.compartmentId}`).toBeDefined();
            expect(parcel.units).toBeLessThanOrEqual(SIZE_UNITS[c!.size]);
            expect(SIZE_UNITS[c!.size]).toBeLessThanOrEqual(SIZE_UNITS.L);
            expect(SIZE_UNITS[parcel.size]).toBeLessThanOrEqual(SIZE_UNITS[c!.size]);
          }
      }),
      RUNS,
    );
  });

  it('never gives a compartment twice', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const used = packBank(orders, free).placed.flatMap((p) => p.parcels.map((x) => x.compartmentId));
        expect(new Set(used).size).toBe(used.length);
      }),
      RUNS,
    );
  });

  it('respects zones: parcel zone = compartment zone = zone of each of its lines', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const byId = new Map(free.map((c) => [c.id, c]));
        const byOrder = new Map(orders.map((o) => [o.orderId, o]));
        for (const p of packBank(orders, free).placed)
          for (const parcel of p.parcels) {
            expect(byId.get(parcel.compartmentId)!.zone).toBe(parcel.zone);
            for (const i of parcel.lines) expect(byOrder.get(p.orderId)!.lines[i]!.zone).toBe(parcel.zone);
          }
      }),
      RUNS,
    );
  });

  it('puts every line of a placed order in exactly one parcel, with the units of its lines', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const byOrder = new Map(orders.map((o) => [o.orderId, o]));
        for (const p of packBank(orders, free).placed) {
          const ls = byOrder.get(p.orderId)!.lines;
          const seen = p.parcels.flatMap((x) => x.lines).sort((a, b) => a - b);
          expect(seen).toEqual(ls.map((_, i) => i));
          for (const parcel of p.parcels)
            expect(parcel.units).toBe(parcel.lines.reduce((n, i) => n + SIZE_UNITS[ls[i]!.size], 0));
        }
      }),
      RUNS,
    );
  });

  it('accounts for every order exactly once: placed + unplaced = all orders', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const { placed, unplaced } = packBank(orders, free);
        const all = [...placed.map((p) => p.orderId), ...unplaced].sort();
        expect(all).toEqual(orders.map((o) => o.orderId).sort());
      }),
      RUNS,
    );
  });

  it('places every order that fits: no unplaced order fits in the compartments left over', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const { placed, unplaced } = packBank(orders, free);
        const used = new Set(placed.flatMap((p) => p.parcels.map((x) => x.compartmentId)));
        const leftover = free.filter((c) => !used.has(c.id));
        const byOrder = new Map(orders.map((o) => [o.orderId, o]));
        for (const id of unplaced)
          expect(fitsIn(byOrder.get(id)!.lines, leftover), `${id} fits in the leftover`).toBe(false);
      }),
      RUNS,
    );
  });

  it('places an order alone whenever fitsIn says it fits', () => {
    fc.assert(
      fc.property(lines, freeSlots, (ls, free) => {
        const { placed } = packBank([{ orderId: 'o', lines: ls }], free);
        expect(placed.length === 1).toBe(fitsIn(ls, free));
      }),
      RUNS,
    );
  });

  it('is deterministic: the same input gives the same output, and the input is not mutated', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const before = clone({ orders, free });
        const a = packBank(orders, free);
        expect({ orders, free }).toEqual(before);
        expect(packBank(clone(orders), clone(free))).toEqual(a);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the free list (same orders placed, same kinds of compartment)', () => {
    fc.assert(
      fc.property(
        bank.chain((b) =>
          fc.tuple(fc.constant(b), fc.shuffledSubarray(b.free, { minLength: b.free.length })),
        ),
        ([{ orders, free }, shuffled]) => {
          const kinds = (r: ReturnType<typeof packBank>, slots: CompartmentSlot[]) => {
            const byId = new Map(slots.map((c) => [c.id, c]));
            return r.placed.map((p) => ({
              orderId: p.orderId,
              parcels: p.parcels.map((x) => `${x.zone}/${x.size}/${byId.get(x.compartmentId)!.size}`),
            }));
          };
          const a = packBank(orders, free);
          const b = packBank(orders, shuffled);
          expect(b.unplaced).toEqual(a.unplaced);
          expect(kinds(b, shuffled)).toEqual(kinds(a, free));
        },
      ),
      RUNS,
    );
  });

  it('places at most the units of the free compartments, zone by zone', () => {
    fc.assert(
      fc.property(bank, ({ orders, free }) => {
        const { placed } = packBank(orders, free);
        for (const z of TEMPERATURES) {
          const capacity = free.filter((c) => c.zone === z).reduce((n, c) => n + SIZE_UNITS[c.size], 0);
          const demand = placed
            .flatMap((p) => p.parcels)
            .filter((x) => x.zone === z)
            .reduce((n, x) => n + x.units, 0);
          expect(demand).toBeLessThanOrEqual(capacity);
        }
      }),
      RUNS,
    );
  });
});

describe('packBank examples', () => {
  const slot = (id: string, zone: Temperature, size: SizeHint): CompartmentSlot => ({ id, zone, size });

  it('leaves an order needing a frozen compartment unplaced when only chilled ones are free', () => {
    const r = packBank(
      [{ orderId: 'ice', lines: [{ zone: 'frozen', size: 'S' }] }],
      [slot('c1', 'chilled', 'L'), slot('c2', 'chilled', 'S')],
    );
    expect(r).toEqual({ placed: [], unplaced: ['ice'] });
  });

  it('splits lines across smaller compartments when no compartment holds them together', () => {
    const twoM = packBank(
      [
        {
          orderId: 'o',
          lines: [
            { zone: 'frozen', size: 'M' },
            { zone: 'frozen', size: 'M' },
          ],
        },
      ],
      [slot('m1', 'frozen', 'M'), slot('m2', 'frozen', 'M')],
    );
    expect(twoM.unplaced).toEqual([]);
    expect(twoM.placed[0]!.parcels.map((p) => p.compartmentId).sort()).toEqual(['m1', 'm2']);
    const threeS = packBank(
      [{ orderId: 'o', lines: [0, 1, 2].map(() => ({ zone: 'chilled' as const, size: 'S' as const })) }],
      [slot('m', 'chilled', 'M'), slot('s', 'chilled', 'S')],
    );
    expect(threeS.unplaced).toEqual([]);
    expect(threeS.placed[0]!.parcels.map((p) => [p.compartmentId, p.units]).sort()).toEqual([
      ['m', 2],
      ['s', 1],
    ]);
  });

  it('puts three S lines of one zone together in one L', () => {
    const lines: PackLine[] = [
      { zone: 'chilled', size: 'S' },
      { zone: 'chilled', size: 'S' },
      { zone: 'chilled', size: 'S' },
    ];
    expect(parcelsOf(lines)).toEqual([{ zone: 'chilled', size: 'L', units: 3, lines: [0, 1, 2] }]);
    const r = packBank(
      [{ orderId: 'o', lines }],
      [slot('m', 'chilled', 'M'), slot('l', 'chilled', 'L'), slot('s', 'chilled', 'S')],
    );
    expect(r.unplaced).toEqual([]);
    expect(r.placed).toEqual([
      {
        orderId: 'o',
        parcels: [{ zone: 'chilled', size: 'L', units: 3, lines: [0, 1, 2], compartmentId: 'l' }],
      },
    ]);
  });

  it('gives a parcel the smallest compartment that holds it', () => {
    const r = packBank(
      [{ orderId: 'o', lines: [{ zone: 'ambient', size: 'S' }] }],
      [slot('l', 'ambient', 'L'), slot('m', 'ambient', 'M'), slot('s', 'ambient', 'S')],
    );
    expect(r.placed[0]!.parcels[0]!.compartmentId).toBe('s');
  });

  it('splits an order by zone into one compartment per zone', () => {
    const r = packBank(
      [
        {
          orderId: 'o',
          lines: [
            { zone: 'ambient', size: 'M' },
            { zone: 'frozen', size: 'S' },
            { zone: 'ambient', size: 'S' },
          ],
        },
      ],
      [slot('a', 'ambient', 'L'), slot('f', 'frozen', 'S'), slot('c', 'chilled', 'L')],
    );
    expect(r.placed[0]!.parcels.map((p) => [p.zone, p.units, p.compartmentId])).toEqual([
      ['ambient', 3, 'a'],
      ['frozen', 1, 'f'],
    ]);
  });

  it('places an order whole or not at all: a half-fitting order takes nothing', () => {
    const r = packBank(
      [
        {
          orderId: 'big',
          lines: [
            { zone: 'ambient', size: 'L' },
            { zone: 'frozen', size: 'M' },
          ],
        },
        { orderId: 'small', lines: [{ zone: 'ambient', size: 'S' }] },
      ],
      [slot('a', 'ambient', 'L'), slot('f', 'frozen', 'S')],
    );
    expect(r.unplaced).toEqual(['big']);
    expect(r.placed).toEqual([
      {
        orderId: 'small',
        parcels: [{ zone: 'ambient', size: 'S', units: 1, lines: [0], compartmentId: 'a' }],
      },
    ]);
  });

  it('places larger orders first, ties in the given order', () => {
    const r = packBank(
      [
        { orderId: 'first-small', lines: [{ zone: 'ambient', size: 'S' }] },
        { orderId: 'large', lines: [{ zone: 'ambient', size: 'L' }] },
        { orderId: 'second-small', lines: [{ zone: 'ambient', size: 'S' }] },
      ],
      [slot('l', 'ambient', 'L'), slot('s', 'ambient', 'S')],
    );
    expect(r.placed.map((p) => p.orderId)).toEqual(['large', 'first-small']);
    expect(r.unplaced).toEqual(['second-small']);
  });

  it('places an order with no lines without taking a compartment', () => {
    expect(packBank([{ orderId: 'o', lines: [] }], [])).toEqual({
      placed: [{ orderId: 'o', parcels: [] }],
      unplaced: [],
    });
  });
});

describe('fitsIn and countBySizeAndZone', () => {
  it('fitsIn needs a compartment per parcel of the right zone and size', () => {
    const two: PackLine[] = [
      { zone: 'chilled', size: 'L' },
      { zone: 'chilled', size: 'S' },
    ];
    expect(fitsIn(two, [{ id: 'a', zone: 'chilled', size: 'L' }])).toBe(false);
    expect(
      fitsIn(two, [
        { id: 'a', zone: 'chilled', size: 'L' },
        { id: 'b', zone: 'chilled', size: 'S' },
      ]),
    ).toBe(true);
    expect(fitsIn([], [])).toBe(true);
  });

  it('counts free compartments by zone and size, each once', () => {
    fc.assert(
      fc.property(freeSlots, (free) => {
        const counts = countBySizeAndZone(free);
        expect(counts.reduce((n, c) => n + c.count, 0)).toBe(free.length);
        for (const c of counts)
          expect(c.count).toBe(free.filter((s) => s.zone === c.zone && s.size === c.size).length);
      }),
      RUNS,
    );
  });
});

/** Compartments some of which are out of reach, and orders some of which ask for reach. */
const reachBank = fc.record({
  free: fc
    .array(fc.record({ zone, size, reachable: fc.boolean() }), { maxLength: 40 })
    .map((cs): CompartmentSlot[] => cs.map((c, i) => ({ id: `c${i}`, ...c }))),
  orders: fc
    .array(fc.record({ lines, preferReachable: fc.boolean() }), { maxLength: 30 })
    .map((os): OrderDemand[] => os.map((o, i) => ({ orderId: `o${i}`, ...o }))),
});
const plainOf = (os: OrderDemand[]) => os.map(({ orderId, lines }) => ({ orderId, lines }));

describe('packBank with reachable rows', () => {
  it('never fails an order that fits without preferences: the same orders are placed', () => {
    fc.assert(
      fc.property(reachBank, ({ orders, free }) => {
        const withPrefs = packBank(orders, free);
        const without = packBank(plainOf(orders), free);
        const placed = new Set(withPrefs.placed.map((p) => p.orderId));
        for (const p of without.placed) expect(placed.has(p.orderId)).toBe(true);
        expect(withPrefs.placed.length + withPrefs.unplaced.length).toBe(orders.length);
        const used = withPrefs.placed.flatMap((p) => p.parcels.map((x) => x.compartmentId));
        expect(new Set(used).size).toBe(used.length);
      }),
      RUNS,
    );
  });

  it('marks exactly the orders that asked for reach and got a compartment out of it', () => {
    fc.assert(
      fc.property(reachBank, ({ orders, free }) => {
        const reachable = new Map(free.map((c) => [c.id, c.reachable !== false]));
        const asked = new Map(orders.map((o) => [o.orderId, !!o.preferReachable]));
        for (const p of packBank(orders, free).placed) {
          const out = p.parcels.some((x) => !reachable.get(x.compartmentId));
          expect(!!p.outOfReach).toBe(asked.get(p.orderId)! && out);
        }
      }),
      RUNS,
    );
  });

  it('puts no more orders that asked out of reach than a packing blind to rows would', () => {
    fc.assert(
      fc.property(reachBank, ({ orders, free }) => {
        const reachable = new Map(free.map((c) => [c.id, c.reachable !== false]));
        const asked = new Set(orders.filter((o) => o.preferReachable).map((o) => o.orderId));
        const outOf = (placed: { orderId: string; parcels: { compartmentId: string }[] }[]) =>
          placed.filter((p) => asked.has(p.orderId) && p.parcels.some((x) => !reachable.get(x.compartmentId)))
            .length;
        const blind = packBank(
          plainOf(orders),
          free.map(({ id, zone, size }) => ({ id, zone, size })),
        );
        expect(outOf(packBank(orders, free).placed)).toBeLessThanOrEqual(outOf(blind.placed));
      }),
      RUNS,
    );
  });

  const at = (id: string, z: Temperature, s: SizeHint, reachable: boolean): CompartmentSlot => ({
    id,
    zone: z,
    size: s,
    reachable,
  });

  it('gives the reachable compartment to the order that asks, the other to the one that does not', () => {
    const r = packBank(
      [
        { orderId: 'young', lines: [{ zone: 'ambient', size: 'S' }] },
        { orderId: 'elder', lines: [{ zone: 'ambient', size: 'S' }], preferReachable: true },
      ],
      [at('low', 'ambient', 'S', false), at('mid', 'ambient', 'S', true)],
    );
    const where = new Map(r.placed.map((p) => [p.orderId, p.parcels[0]!.compartmentId]));
    expect(where.get('elder')).toBe('mid');
    expect(where.get('young')).toBe('low');
    expect(r.placed.some((p) => p.outOfReach)).toBe(false);
  });

  it('takes a larger reachable compartment for one who asks when that costs nobody a place', () => {
    const r = packBank(
      [{ orderId: 'elder', lines: [{ zone: 'chilled', size: 'S' }], preferReachable: true }],
      [at('low-s', 'chilled', 'S', false), at('mid-m', 'chilled', 'M', true)],
    );
    expect(r.placed[0]!.parcels[0]!.compartmentId).toBe('mid-m');
    expect(r.placed[0]!.outOfReach).toBeUndefined();
  });

  it('keeps the larger reachable compartment for the order that needs its size', () => {
    const r = packBank(
      [
        { orderId: 'elder', lines: [{ zone: 'chilled', size: 'S' }], preferReachable: true },
        { orderId: 'needs-m', lines: [{ zone: 'chilled', size: 'M' }] },
      ],
      [at('low-s', 'chilled', 'S', false), at('mid-m', 'chilled', 'M', true)],
    );
    expect(r.unplaced).toEqual([]);
    const elder = r.placed.find((p) => p.orderId === 'elder')!;
    expect(elder.parcels[0]!.compartmentId).toBe('low-s');
    expect(elder.outOfReach).toBe(true);
  });

  it('falls back to any row when reachable rows run out, and says so', () => {
    const r = packBank(
      [1, 2, 3].map((n) => ({
        orderId: `elder${n}`,
        lines: [{ zone: 'ambient', size: 'S' }] as PackLine[],
        preferReachable: true,
      })),
      [at('a', 'ambient', 'S', true), at('b', 'ambient', 'S', false), at('c', 'ambient', 'S', false)],
    );
    expect(r.unplaced).toEqual([]);
    expect(r.placed.filter((p) => p.outOfReach).map((p) => p.orderId)).toEqual(['elder2', 'elder3']);
    expect(r.placed.find((p) => p.orderId === 'elder1')!.parcels[0]!.compartmentId).toBe('a');
  });
});

describe('prefersReachable, defaultReachableRows and reachNote', () => {
  const today = '2026-12-02';
  it("follows the person's own choice, else 80 and over, else an order placed by family", () => {
    expect(prefersReachable({ choice: null, birthDate: '1946-12-02', today })).toBe(true);
    expect(prefersReachable({ choice: null, birthDate: '1946-12-03', today })).toBe(false);
    expect(prefersReachable({ choice: null, birthDate: null, today })).toBe(false);
    expect(prefersReachable({ choice: null, birthDate: null, today, placedByProxy: true })).toBe(true);
    expect(prefersReachable({ choice: false, birthDate: '1940-03-15', today, placedByProxy: true })).toBe(
      false,
    );
    expect(prefersReachable({ choice: true, birthDate: '1990-01-01', today })).toBe(true);
  });

  it('leaves out the bottom and top rows of a bank of three rows or more', () => {
    expect(defaultReachableRows(6)).toEqual({ from: 2, to: 5 });
    expect(defaultReachableRows(3)).toEqual({ from: 2, to: 2 });
    expect(defaultReachableRows(2)).toEqual({ from: 1, to: 2 });
    expect(defaultReachableRows(1)).toEqual({ from: 1, to: 1 });
  });

  it('names the rows outside reach, once each, only for an order that asked', () => {
    const range = { from: 2, to: 4 };
    expect(reachNote(true, [1, 3, 1, 5], range)).toBe(
      '已尽量安排不用弯腰、不用踮脚的格口，本次放在第 1、5 层',
    );
    expect(reachNote(true, [2, 4], range)).toBeNull();
    expect(reachNote(false, [1], range)).toBeNull();
  });
});

import type { Compartment } from 'shared';
import { describe, expect, it } from 'vitest';
import { SIZES, ZONES } from '../lockers/labels';
import { countTable, gridRows, serviceToggle, stateCounts } from './locker-grid';

const c = (label: string, state: Compartment['state'] = 'free'): Compartment => ({
  id: `id-${label}`,
  label,
  size: 'M',
  zone: 'ambient',
  state,
  row: 1,
});

describe('locker grid', () => {
  it('puts compartments in a row per letter, in natural order', () => {
    const rows = gridRows([c('B02'), c('A10'), c('A2'), c('B01'), c('A01')]);
    expect(rows.map((r) => [r.key, r.cells.map((x) => x.label)])).toEqual([
      ['A', ['A01', 'A2', 'A10']],
      ['B', ['B01', 'B02']],
    ]);
    expect(gridRows([])).toEqual([]);
    expect(gridRows([c('7')]).map((r) => r.key)).toEqual(['#']);
  });

  it('counts compartments by state for the legend', () => {
    expect(stateCounts([c('A1'), c('A2', 'occupied'), c('A3', 'out_of_service'), c('A4', 'free')])).toEqual({
      free: 2,
      reserved: 0,
      occupied: 1,
      out_of_service: 1,
    });
  });

  it('lays the counts out by zone and size, leaving out zones the bank does not have', () => {
    const table = countTable(
      [
        { size: 'S', zone: 'ambient', total: 10, free: 4 },
        { size: 'M', zone: 'frozen', total: 3, free: 3 },
      ],
      ZONES,
      SIZES,
    );
    expect(table).toEqual([
      { zone: 'ambient', cells: [{ free: 4, total: 10 }, null, null] },
      { zone: 'frozen', cells: [null, { free: 3, total: 3 }, null] },
    ]);
  });

  it('lets staff take only free compartments out and bring out-of-service ones back', () => {
    expect(serviceToggle('free')).toBe('out');
    expect(serviceToggle('out_of_service')).toBe('in');
    expect(serviceToggle('reserved')).toBe('busy');
    expect(serviceToggle('occupied')).toBe('busy');
  });
});

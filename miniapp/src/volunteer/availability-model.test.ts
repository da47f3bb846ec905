import { describe, expect, it } from 'vitest';
import {
  addRow,
  availabilityText,
  daysText,
  removeRow,
  rowProblem,
  rowsFromSlots,
  slotsFromRows,
  weekProblem,
} from './availability-model';

describe('availability editor', () => {
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMin: 1080, endMin: 1260 }));

  it('groups slots with the same range into one row, Monday first', () => {
    const rows = rowsFromSlots([
      ...weekdays,
      { weekday: 0, startMin: 540, endMin: 720 },
      { weekday: 6, startMin: 540, endMin: 720 },
    ]);
    expect(rows).toEqual([
      { days: [6, 0], from: '09:00', to: '12:00' },
      { days: [1, 2, 3, 4, 5], from: '18:00', to: '21:00' },
    ]);
    expect(availabilityText([...weekdays])).toBe('周一至周五 18:00–21:00');
    expect(availabilityText([])).toBe('未填写');
  });

  it('round-trips rows and slots, Sunday as weekday 0', () => {
    const slots = slotsFromRows([{ days: [0, 3], from: '08:30', to: '24:00' }]);
    expect(slots).toEqual([
      { weekday: 3, startMin: 510, endMin: 1440 },
      { weekday: 0, startMin: 510, endMin: 1440 },
    ]);
    expect(rowsFromSlots(slots)).toEqual([{ days: [3, 0], from: '08:30', to: '24:00' }]);
  });

  it('names days as people say them', () => {
    expect(daysText([0, 1, 2, 3, 4, 5, 6])).toBe('每天');
    expect(daysText([0, 6])).toBe('周末');
    expect(daysText([3, 1])).toBe('周一、周三');
  });

  it('refuses a row without days or ending before it starts', () => {
    expect(rowProblem({ days: [], from: '09:00', to: '10:00' })).toBe('请至少选择一天');
    expect(rowProblem({ days: [1], from: '10:00', to: '10:00' })).toBe('结束时间要晚于开始时间');
    expect(rowProblem({ days: [1], from: '9:00', to: '10:00' })).toMatch(/时间格式/);
    expect(rowProblem({ days: [1], from: '09:00', to: '10:00' })).toBeNull();
  });

  it('merges days into a row with the same range and removes rows', () => {
    const rows = addRow([{ days: [1], from: '18:00', to: '21:00' }], {
      days: [3],
      from: '18:00',
      to: '21:00',
    });
    expect(rows).toEqual([{ days: [1, 3], from: '18:00', to: '21:00' }]);
    expect(removeRow(rows, 0)).toEqual([]);
  });

  it('finds overlaps on one day and too many slots', () => {
    expect(
      weekProblem([
        { days: [1], from: '09:00', to: '12:00' },
        { days: [1, 2], from: '11:00', to: '13:00' },
      ]),
    ).toBe('周一的时段有重叠（09:00–12:00 与 11:00–13:00）');
    const many = Array.from({ length: 5 }, (_, i) => ({
      days: [0, 1, 2, 3, 4, 5, 6],
      from: `0${i}:00`,
      to: `0${i}:30`,
    }));
    expect(weekProblem(many)).toBe('每周最多 28 个时段，请合并一些时段');
    expect(weekProblem(many.slice(0, 4))).toBeNull();
  });
});

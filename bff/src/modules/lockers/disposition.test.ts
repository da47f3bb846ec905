import { describe, expect, it } from 'vitest';
import { dispositionOf, RESCUE_WITHIN_MS } from './pickup';

describe('what happens to goods taken back from a locker', () => {
  it('returns ambient goods to the shop however late', () => {
    expect(dispositionOf(false, 0)).toBe('return');
    expect(dispositionOf(false, 10 * RESCUE_WITHIN_MS)).toBe('return');
  });
  it('gives perishables to food rescue within a day of the deadline, disposes of them after', () => {
    expect(dispositionOf(true, RESCUE_WITHIN_MS)).toBe('rescue');
    expect(dispositionOf(true, RESCUE_WITHIN_MS + 1)).toBe('dispose');
  });
});

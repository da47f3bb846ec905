import { describe, expect, it } from 'vitest';
import { darkRuns, qrMatrix } from './qr';

/** A finder pattern: 7×7 dark ring, light ring, 3×3 dark core. */
function hasFinderAt(m: boolean[][], top: number, left: number): boolean {
  for (let r = 0; r < 7; r++)
    for (let c = 0; c < 7; c++) {
      const ring = r === 0 || r === 6 || c === 0 || c === 6;
      const core = r >= 2 && r <= 4 && c >= 2 && c <= 4;
      if (m[top + r]![left + c] !== (ring || core)) return false;
    }
  return true;
}

describe('QR matrix', () => {
  it('makes a version-1 code for a 6-digit pickup code, with a quiet zone', () => {
    const m = qrMatrix('042917');
    expect(m).toHaveLength(21 + 4);
    expect(m.every((row) => row.length === 25)).toBe(true);
    // The margin is light all round.
    for (const i of [0, 1, 23, 24]) {
      expect(m[i]!.every((d) => !d)).toBe(true);
      expect(m.every((row) => !row[i])).toBe(true);
    }
    // Finder patterns in three corners.
    expect(hasFinderAt(m, 2, 2)).toBe(true);
    expect(hasFinderAt(m, 2, 16)).toBe(true);
    expect(hasFinderAt(m, 16, 2)).toBe(true);
  });

  it('is deterministic per text and differs between codes', () => {
    expect(qrMatrix('123456')).toEqual(qrMatrix('123456'));
    expect(qrMatrix('123456')).not.toEqual(qrMatrix('654321'));
  });

  it('grows for longer text and honours the margin', () => {
    expect(qrMatrix('https://example.com/a/long/enough/path', 0).length).toBeGreaterThan(21);
    expect(qrMatrix('1', 0)).toHaveLength(21);
  });

  it('draws a row as runs of dark modules', () => {
    expect(darkRuns([false, true, true, false, true])).toEqual([
      [1, 2],
      [4, 1],
    ]);
    expect(darkRuns([true, true, true])).toEqual([[0, 3]]);
    expect(darkRuns([false, false])).toEqual([]);
    // The runs cover exactly the dark modules.
    for (const row of qrMatrix('987654')) {
      const dark = row.filter(Boolean).length;
      expect(darkRuns(row).reduce((n, [, len]) => n + len, 0)).toBe(dark);
    }
  });
});

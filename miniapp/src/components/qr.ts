import qrcode from 'qrcode-generator';

/**
 * A QR code as a matrix of modules (true = dark), with a quiet zone of `margin` light modules on
 * every side, for drawing as a grid of Views (no canvas: the same markup on weapp and H5).
 * Error correction M; the version grows with the text (a 6-digit code is version 1, 21 modules).
 */
export function qrMatrix(text: string, margin = 2): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, /^\d+$/.test(text) ? 'Numeric' : 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const size = n + margin * 2;
  const rows: boolean[][] = [];
  for (let r = 0; r < size; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < size; c++) {
      const inside = r >= margin && r < n + margin && c >= margin && c < n + margin;
      row.push(inside && qr.isDark(r - margin, c - margin));
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Runs of dark modules per row, as [start, length] pairs: a row draws as a few bars instead of one
 * View per module (fewer nodes for weapp's setData).
 */
export function darkRuns(row: boolean[]): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  row.forEach((dark, i) => {
    if (dark && start < 0) start = i;
    if (!dark && start >= 0) {
      runs.push([start, i - start]);
      start = -1;
    }
  });
  if (start >= 0) runs.push([start, row.length - start]);
  return runs;
}

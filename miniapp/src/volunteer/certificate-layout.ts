import { localDate } from '../common/care-console';
import { hoursText, starProgress } from './bank-model';
import { starsText } from './labels';

/**
 * The certificate (志愿服务证书) as drawing operations in CSS pixels: the page only replays them
 * on a canvas, so what is written where is tested here without one.
 */

export interface CertificateData {
  name: string;
  communityName: string;
  earnedMin: number;
  star: number;
  tasks: number;
  since: string;
  issuedAt: string;
  serial: string;
}

export type DrawOp =
  | {
      kind: 'rect';
      x: number;
      y: number;
      w: number;
      h: number;
      fill?: string;
      stroke?: string;
      lineWidth?: number;
    }
  | {
      kind: 'text';
      text: string;
      x: number;
      y: number;
      size: number;
      bold: boolean;
      color: string;
      align: 'left' | 'center' | 'right';
    };

export interface CertificateLayout {
  width: number;
  height: number;
  ops: DrawOp[];
}

/** Width of a text at a font size; the canvas passes its own measureText, tests use this estimate. */
export type Measure = (text: string, size: number, bold: boolean) => number;

/** CJK and full-width characters are one em wide, the rest about half. */
export const estimateWidth: Measure = (text, size) =>
  [...text].reduce((w, c) => w + (/[\u2e80-\uffff]/.test(c) ? size : size * 0.55), 0);

/** Breaks a text into lines no wider than maxWidth (by character: Chinese has no spaces). */
export function wrapText(
  text: string,
  maxWidth: number,
  size: number,
  bold: boolean,
  measure: Measure,
): string[] {
  const lines: string[] = [];
  let line = '';
  for (const c of [...text]) {
    if (line && measure(line + c, size, bold) > maxWidth) {
      lines.push(line);
      line = '';
    }
    line += c;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** 「2025年12月1日」 in local time. */
export function certificateDate(iso: string): string {
  const d = localDate(iso);
  return `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
}

export const INK = '#3d2400';
export const GOLD = '#b8860b';
export const RED = '#b3261e';

/**
 * The certificate at `width` CSS px (its height follows the text): border, title, the person,
 * the community and hours, stars, the serial and the date.
 */
export function certificateLayout(
  c: CertificateData,
  width: number,
  measure: Measure = estimateWidth,
): CertificateLayout {
  const k = width / 320;
  const pad = 28 * k;
  const inner = width - 2 * pad;
  const mid = width / 2;
  const ops: DrawOp[] = [];
  const text = (t: string, y: number, size: number, opts: Partial<Extract<DrawOp, { kind: 'text' }>> = {}) =>
    ops.push({ kind: 'text', text: t, x: mid, y, size, bold: false, color: INK, align: 'center', ...opts });

  let y = pad + 34 * k;
  text('志愿服务证书', y, 26 * k, { bold: true, color: RED });
  y += 24 * k;
  text('好人好事银行', y, 13 * k, { color: GOLD });
  y += 40 * k;
  text('兹证明', y, 15 * k);
  y += 40 * k;
  for (const line of wrapText(c.name, inner, 28 * k, true, measure)) {
    text(line, y, 28 * k, { bold: true });
    y += 36 * k;
  }
  y += 4 * k;
  for (const line of wrapText(`在${c.communityName}累计志愿服务`, inner, 15 * k, false, measure)) {
    text(line, y, 15 * k);
    y += 24 * k;
  }
  y += 18 * k;
  text(hoursText(c.earnedMin), y, 30 * k, { bold: true, color: RED });
  y += 30 * k;
  text(`完成服务 ${c.tasks} 次 · ${certificateDate(c.since)}起`, y, 13 * k);
  y += 32 * k;
  text(starsText(c.star), y, 22 * k, { color: GOLD });
  y += 24 * k;
  text(starProgress(c.star, 0).title, y, 14 * k, { bold: true });
  y += 34 * k;
  text('特发此证，以资鼓励。', y, 14 * k);
  y += 44 * k;
  const right = width - pad;
  for (const line of wrapText(c.communityName, inner * 0.7, 14 * k, false, measure)) {
    ops.push({
      kind: 'text',
      text: line,
      x: right,
      y,
      size: 14 * k,
      bold: false,
      color: INK,
      align: 'right',
    });
    y += 22 * k;
  }
  ops.push({
    kind: 'text',
    text: certificateDate(c.issuedAt),
    x: right,
    y,
    size: 14 * k,
    bold: false,
    color: INK,
    align: 'right',
  });
  y += 34 * k;
  ops.push({
    kind: 'text',
    text: `证书编号：${c.serial}`,
    x: pad,
    y,
    size: 11 * k,
    bold: false,
    color: GOLD,
    align: 'left',
  });
  const height = Math.ceil(y + pad);

  const frame: DrawOp[] = [
    { kind: 'rect', x: 0, y: 0, w: width, h: height, fill: '#fffaf0' },
    {
      kind: 'rect',
      x: 8 * k,
      y: 8 * k,
      w: width - 16 * k,
      h: height - 16 * k,
      stroke: GOLD,
      lineWidth: 3 * k,
    },
    {
      kind: 'rect',
      x: 14 * k,
      y: 14 * k,
      w: width - 28 * k,
      h: height - 28 * k,
      stroke: GOLD,
      lineWidth: 1 * k,
    },
  ];
  return { width, height, ops: [...frame, ...ops] };
}

/** The font string for a text op (canvas `font`). */
export const fontOf = (op: Extract<DrawOp, { kind: 'text' }>): string =>
  `${op.bold ? 'bold ' : ''}${Math.round(op.size)}px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`;

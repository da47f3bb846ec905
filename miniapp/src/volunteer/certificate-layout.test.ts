import { describe, expect, it } from 'vitest';
import {
  certificateDate,
  certificateLayout,
  type DrawOp,
  estimateWidth,
  fontOf,
  wrapText,
} from './certificate-layout';

describe('certificate layout', () => {
  const cert = {
    name: '赵志愿',
    communityName: '黌门街社区',
    earnedMin: 7230,
    star: 1,
    tasks: 42,
    since: '2024-03-01T02:00:00Z',
    issuedAt: '2025-12-02T02:00:00Z',
    serial: 'LL-2025-000042',
  };
  const texts = (ops: DrawOp[]) =>
    ops.filter((o) => o.kind === 'text').map((o) => (o.kind === 'text' ? o.text : ''));

  it('writes the name, community, hours, stars, serial and date', () => {
    const l = certificateLayout(cert, 320);
    expect(texts(l.ops)).toEqual([
      '志愿服务证书',
      '好人好事银行',
      '兹证明',
      '赵志愿',
      '在黌门街社区累计志愿服务',
      '120小时30分',
      '完成服务 42 次 · 2024年3月1日起',
      '★☆☆☆☆',
      '一星志愿者',
      '特发此证，以资鼓励。',
      '黌门街社区',
      '2025年12月2日',
      '证书编号：LL-2025-000042',
    ]);
  });

  it('keeps every text inside the frame, centred ones on the middle', () => {
    const l = certificateLayout(cert, 320);
    for (const op of l.ops) {
      if (op.kind !== 'text') continue;
      const w = estimateWidth(op.text, op.size, op.bold);
      const left = op.align === 'center' ? op.x - w / 2 : op.align === 'right' ? op.x - w : op.x;
      expect(left).toBeGreaterThanOrEqual(14);
      expect(left + w).toBeLessThanOrEqual(306);
      expect(op.y).toBeLessThan(l.height - 14);
      if (op.align === 'center') expect(op.x).toBe(160);
    }
  });

  it('scales with the width and wraps a long community name', () => {
    const small = certificateLayout(cert, 320);
    const big = certificateLayout(cert, 640);
    expect(big.height).toBeCloseTo(small.height * 2, -1);
    const long = certificateLayout(
      { ...cert, communityName: '黌门街道办事处银杏院社区居民委员会第一网格' },
      320,
    );
    const lines = texts(long.ops).filter((t) => t.includes('网格') || t.startsWith('在'));
    expect(lines.length).toBeGreaterThan(2);
    expect(long.height).toBeGreaterThan(small.height);
  });

  it('wraps by width and builds a canvas font', () => {
    expect(wrapText('一二三四五', 40, 10, false, estimateWidth)).toEqual(['一二三四', '五']);
    expect(wrapText('', 40, 10, false, estimateWidth)).toEqual(['']);
    expect(certificateDate('2025-11-30T16:30:00Z')).toBe('2025年12月1日');
    expect(
      fontOf({ kind: 'text', text: 'x', x: 0, y: 0, size: 26.4, bold: true, color: '#000', align: 'center' }),
    ).toMatch(/^bold 26px /);
  });
});

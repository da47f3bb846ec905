import { describe, expect, it } from 'vitest';
import { excerptAround, highlightSpans } from './search-model';

describe('highlightSpans', () => {
  it('marks every occurrence, ignoring case, and keeps the rest as plain text', () => {
    expect(highlightSpans('小区里的猫，猫粮在哪买', '猫')).toEqual([
      { text: '小区里的', match: false },
      { text: '猫', match: true },
      { text: '，', match: false },
      { text: '猫', match: true },
      { text: '粮在哪买', match: false },
    ]);
    expect(highlightSpans('WiFi 密码 wifi', 'WIFI')).toEqual([
      { text: 'WiFi', match: true },
      { text: ' 密码 ', match: false },
      { text: 'wifi', match: true },
    ]);
  });

  it('takes several words, the longer first where they overlap', () => {
    expect(highlightSpans('羽毛球拍转让', '羽毛 羽毛球')).toEqual([
      { text: '羽毛球', match: true },
      { text: '拍转让', match: false },
    ]);
  });

  it('leaves markup as text: spans carry characters, never HTML', () => {
    const spans = highlightSpans('<img src=x onerror=alert(1)>', 'img');
    expect(spans.map((s) => s.text).join('')).toBe('<img src=x onerror=alert(1)>');
    expect(spans[1]).toEqual({ text: 'img', match: true });
  });

  it('gives the text whole with no query, and nothing for no text', () => {
    expect(highlightSpans('你好', '  ')).toEqual([{ text: '你好', match: false }]);
    expect(highlightSpans('', '猫')).toEqual([]);
  });
});

describe('excerptAround', () => {
  it('shows a window around a match deep in a long text', () => {
    const text = `${'前'.repeat(200)}丢了一只橘猫${'后'.repeat(200)}`;
    const out = excerptAround(text, '橘猫', 40);
    expect(out.startsWith('…')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
    expect(out).toContain('橘猫');
    expect([...out].length).toBe(42);
  });

  it('keeps short texts whole and starts at the beginning without a match', () => {
    expect(excerptAround('短文', '猫')).toBe('短文');
    expect(excerptAround('字'.repeat(50), '猫', 10)).toBe(`${'字'.repeat(10)}…`);
  });
});

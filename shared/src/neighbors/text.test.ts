import { describe, expect, it } from 'vitest';
import { codePoints, containsLink, findSensitiveWord, normaliseForMatch } from './text';

describe('neighbor text rules', () => {
  it('counts code points, not UTF-16 units', () => {
    expect('😀'.length).toBe(2);
    expect(codePoints('😀')).toBe(1);
    expect(codePoints('𠮷野家')).toBe(3);
    expect(codePoints('a'.repeat(1000))).toBe(1000);
  });

  it('folds full-width, case and spaces before matching', () => {
    expect(normaliseForMatch('ＷＥＩ　ＸＩＮ')).toBe('weixin');
    expect(normaliseForMatch('加 微\u200b信')).toBe('加微信');
    expect(findSensitiveWord('快来加 微 信 领红包', ['微信'])).toBe('微信');
    expect(findSensitiveWord('ＶＸ：１２３', ['vx'])).toBe('vx');
    expect(findSensitiveWord('今天天气不错', ['微信', 'vx'])).toBeNull();
    expect(findSensitiveWord('anything', ['  '])).toBeNull();
  });

  it('finds links in their usual disguises', () => {
    expect(containsLink('see https://example.org/x')).toBe(true);
    expect(containsLink('去 www.taobao 看看')).toBe(true);
    expect(containsLink('点 t.cn/abc')).toBe(true);
    expect(containsLink('ｗｗｗ．ａｂｃ．ｃｏｍ')).toBe(true);
    expect(containsLink('小区3.5号楼有猫')).toBe(false);
    expect(containsLink('价格 12.50 元，联系 13800000000')).toBe(false);
  });
});

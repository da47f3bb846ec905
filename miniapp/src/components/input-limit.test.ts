import { describe, expect, it } from 'vitest';
import { inputLimitText, textAreaCount } from './input-limit';

describe('input limits are said, not silently applied', () => {
  it('counts as a text field nears its limit and says when it is reached', () => {
    expect(inputLimitText('王阿姨', 20)).toBeNull();
    expect(inputLimitText('一'.repeat(16), 20)).toBe('16/20');
    expect(inputLimitText('一'.repeat(20), 20)).toBe('20/20，已达字数上限');
  });

  it('tells a phone field is 11 digits only until it is complete', () => {
    expect(inputLimitText('', 11, 'phone')).toBeNull();
    expect(inputLimitText('138', 11, 'phone')).toBe('手机号为 11 位数字（只能输入数字），已输入 3 位');
    expect(inputLimitText('13800000020', 11, 'phone')).toBeNull();
    expect(inputLimitText('138abc', 11, 'phone')).toBe('手机号只能输入数字，请删去字母、空格或符号');
  });

  it('always counts a textarea', () => {
    expect(textAreaCount('', 200)).toBe('0/200');
    expect(textAreaCount('好'.repeat(200), 200)).toBe('200/200，已达字数上限');
  });
});

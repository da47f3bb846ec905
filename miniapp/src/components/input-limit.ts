/**
 * What a field says about its limit, instead of silently cutting text: a counter as the limit
 * nears (16/20), a sentence at it, and for phone numbers why only digits go in. Null: say nothing.
 */
export function inputLimitText(
  value: string,
  maxLength: number,
  kind: 'text' | 'phone' = 'text',
): string | null {
  const length = [...value].length;
  if (kind === 'phone') {
    if (/\D/.test(value)) return '手机号只能输入数字，请删去字母、空格或符号';
    if (length === 0 || length >= 11) return null;
    return `手机号为 11 位数字（只能输入数字），已输入 ${length} 位`;
  }
  if (length >= maxLength) return `${length}/${maxLength}，已达字数上限`;
  if (length >= Math.ceil(maxLength * 0.8)) return `${length}/${maxLength}`;
  return null;
}

/** A textarea always shows its count: people write notes long enough to reach it. */
export function textAreaCount(value: string, maxLength: number): string {
  const length = [...value].length;
  return length >= maxLength ? `${length}/${maxLength}，已达字数上限` : `${length}/${maxLength}`;
}

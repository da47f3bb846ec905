/**
 * Pure text rules of neighbor posts, shared by the BFF (which enforces them) and the editor (which
 * counts characters the same way as the user types).
 */

/** Characters as a person counts them: code points, so an emoji or a rare CJK character is one. */
export const codePoints = (s: string): number => [...s].length;

/**
 * Text as the sensitive-word list compares it: NFKC folds full-width letters, digits and
 * punctuation to half-width (Ａ→A, ０→0), then lower case, then every space, zero-width and
 * separator character dropped, so "微 信" or "ＷＥＩ　ＸＩＮ" cannot slip past "微信"/"weixin".
 */
export function normaliseForMatch(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u200b-\u200f\u2060\ufeff\p{Z}\p{Cf}]+/gu, '');
}

/** The first listed word found in the text (both normalised), or null. */
export function findSensitiveWord(text: string, words: readonly string[]): string | null {
  const t = normaliseForMatch(text);
  for (const w of words) {
    const n = normaliseForMatch(w);
    if (n && t.includes(n)) return w;
  }
  return null;
}

const SCHEME = /\b(?:https?|ftp):\/\//i;
const WWW = /\bwww\./i;
/** A bare domain: label(s) then a common TLD, e.g. "abc.com", "t.cn/xyz". */
const DOMAIN =
  /\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|vip|io|cc|me|info|biz|shop|site|link|club|app)\b/i;

/** Whether the text carries a link (checked on NFKC text, so full-width ｗｗｗ．counts too). */
export function containsLink(s: string): boolean {
  const t = s.normalize('NFKC');
  return SCHEME.test(t) || WWW.test(t) || DOMAIN.test(t);
}

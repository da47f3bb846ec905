/** One piece of a search result's text: matched pieces are drawn highlighted, all as plain Text. */
export interface Span {
  text: string;
  match: boolean;
}

/**
 * Splits `text` around every occurrence of the query's words (case-insensitive, longest word first
 * where two overlap), so the page can highlight them without HTML. Whitespace separates words.
 */
export function highlightSpans(text: string, query: string): Span[] {
  const words = [...new Set(query.trim().toLowerCase().split(/\s+/).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  if (!text) return [];
  if (!words.length) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const spans: Span[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < text.length) {
    const word = words.find((w) => lower.startsWith(w, i));
    if (!word) {
      i++;
      continue;
    }
    if (i > plainFrom) spans.push({ text: text.slice(plainFrom, i), match: false });
    spans.push({ text: text.slice(i, i + word.length), match: true });
    i += word.length;
    plainFrom = i;
  }
  if (plainFrom < text.length) spans.push({ text: text.slice(plainFrom), match: false });
  return spans;
}

/**
 * A window of a long text around its first match, so a hit deep in a post shows in the result:
 * `…` marks what was cut. Short texts come back whole.
 */
export function excerptAround(text: string, query: string, max = 120): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const lower = text.toLowerCase();
  const hits = words.map((w) => lower.indexOf(w)).filter((n) => n >= 0);
  // Code-unit index to code-point index.
  const at = hits.length ? [...text.slice(0, Math.min(...hits))].length : 0;
  const start = Math.max(0, Math.min(at - Math.floor(max / 4), chars.length - max));
  const end = start + max;
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`;
}

/**
 * What Postgres and our own code cannot take, found in parsed input before validation: a NUL
 * character (Postgres refuses it in text), a lone UTF-16 surrogate (Postgres refuses it in text
 * and JSON, so an audit row would fail with a 500), and nesting deeper than any contract needs
 * (recursion over a 20,000-deep body overflowed the stack). The walk is iterative for that reason.
 */
export const MAX_INPUT_DEPTH = 32;

export interface BadInput {
  code: 'VALIDATION_FAILED' | 'INPUT_TOO_DEEP';
  path: string;
  message: string;
}

/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badText(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode text (it has a lone surrogate)';
  return null;
}

export function findBadInput(root: unknown, rootPath: string): BadInput | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: root, path: rootPath, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = badText(value);
      if (problem) return { code: 'VALIDATION_FAILED', path, message: problem };
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH)
      return {
        code: 'INPUT_TOO_DEEP',
        path,
        message: `is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`,
      };
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = badText(key);
      if (keyProblem) return { code: 'VALIDATION_FAILED', path, message: `has a key that ${keyProblem}` };
      stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}

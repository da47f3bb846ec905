import { ApiError, describeError, type ErrorCopy } from '../api/errors';

/** Where the merchant's pages need a sentence of their own (the rest is the registry's). */
const MERCHANT_COPY: ErrorCopy = {
  codes: {
    // From the stock adjuster: the products' stock constraint, not a resident's order.
    STOCK_INSUFFICIENT: '库存不能小于 0',
    // The forms mark each bad field in red next to it (fieldErrors below).
    VALIDATION_FAILED: '填写的内容有误，请检查标红的项目',
  },
};

export function merchantErrorText(err: unknown): string {
  return describeError(err, MERCHANT_COPY);
}

/** Whether an error means the order changed under us, so the list should be reloaded. */
export function isStale(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    ['ORDER_STATE_CHANGED', 'REFUND_ALREADY_DECIDED', 'NOT_FOUND'].includes(err.code)
  );
}

/**
 * The envelope's details by field: `body.priceFen` -> `priceFen`. `hints` gives the Chinese text per
 * field (the server's messages are English); a field without a hint shows the server's message.
 */
export function fieldErrors(err: unknown, hints: Record<string, string> = {}): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const d of err.details) {
    const path = d.path.replace(/^body\./, '');
    const field = path.split('.')[0] ?? path;
    if (!field || out[field]) continue;
    out[field] = hints[field] ?? d.message;
  }
  return out;
}

/** Zod issues from a client-side check, in the same shape. */
export function issuesToFieldErrors(
  issues: { path: PropertyKey[]; message: string }[],
  hints: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (!field || out[field]) continue;
    out[field] = hints[field] ?? issue.message;
  }
  return out;
}

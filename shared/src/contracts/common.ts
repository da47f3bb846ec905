import { z } from 'zod';

/** Opaque ids (uuid v7) — never sequential integers in URLs. */
export const Id = z.uuid();
export const IdParams = z.object({ id: Id });

/**
 * A calendar date, YYYY-MM-DD. z.iso.date() also takes year 0000, which PostgreSQL's date type
 * has no room for (1 BC comes before 0001): a query comparing with it failed with a 500.
 */
export const LocalDate = z.iso
  .date()
  .refine((d) => !d.startsWith('0000-'), 'must be a date in year 1 or later');

/** Mainland mobile number, 11 digits starting with 1. */
export const Phone = z.string().regex(/^1\d{10}$/, 'must be an 11-digit mainland mobile number');

export const ErrorDetail = z.object({
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** The one error envelope every route answers with. */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(ErrorDetail).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/**
 * A boolean in a query string: exactly "true" or "false", anything else is a 400. (z.coerce.boolean
 * turned the string "false" into true.)
 */
export const QueryBool = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true');

export const CursorQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const Ok = z.object({ ok: z.literal(true) });

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

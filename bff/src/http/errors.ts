import type { ErrorDetail } from 'shared';

/** A failure we mean to tell the client about; everything else is a 500 with no internals. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'Resource') => new AppError(404, 'NOT_FOUND', `${what} not found`);
/** What an unknown route answers; also what a hidden route answers to anyone not allowed on it. */
export const noSuchRoute = () => new AppError(404, 'NOT_FOUND', 'There is no such route');
export const forbidden = (message = 'You may not do this') => new AppError(403, 'FORBIDDEN', message);
export const unauthorized = (message = 'Sign in required') => new AppError(401, 'UNAUTHORIZED', message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const badRequest = (code: string, message: string, details?: ErrorDetail[]) =>
  new AppError(400, code, message, details);
/** Something we depend on (Redis) did not answer: nothing was done, the client may retry. */
export const serviceUnavailable = (message: string, cause?: unknown) =>
  Object.assign(new AppError(503, 'SERVICE_UNAVAILABLE', message), { cause });

/**
 * Database constraints are the last line of defence; each one a person can run into gets a code
 * and a sentence here. Modules add their own with `describeConstraint`.
 */
const constraintMessages = new Map<string, { code: string; message: string }>();

export function describeConstraint(name: string, code: string, message: string): void {
  constraintMessages.set(name, { code, message });
}

const PG_CONFLICT_CODES: Record<string, { code: string; message: string }> = {
  '23505': { code: 'ALREADY_EXISTS', message: 'This already exists' },
  '23P01': { code: 'CONFLICT', message: 'This overlaps with something that already exists' },
  '23514': { code: 'CONSTRAINT_VIOLATED', message: 'This change breaks a rule of the data' },
  '23503': { code: 'REFERENCE_MISSING', message: 'This refers to something that does not exist' },
};

interface PgLikeError {
  code?: string;
  constraint_name?: string;
  constraint?: string;
  message?: string;
  detail?: string;
}

/** postgres.js errors arrive bare or wrapped by drizzle (`cause`). */
function findPgError(err: unknown): PgLikeError | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as PgLikeError).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as PgLikeError;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether the error is a violation of this named constraint (to retry, say, a code that collided). */
export function violates(err: unknown, constraint: string): boolean {
  const pg = findPgError(err);
  return (pg?.constraint_name ?? pg?.constraint) === constraint;
}

/**
 * The reason a statement gave for failing itself through linli_fail (SQLSTATE LN001, migration
 * 0016), with its detail; undefined for any other error.
 */
export function statementFailure(err: unknown): { reason: string; detail: string } | undefined {
  const pg = findPgError(err);
  return pg?.code === 'LN001' ? { reason: pg.message ?? '', detail: pg.detail ?? '' } : undefined;
}

/** PostgreSQL broke a deadlock by failing this statement: the whole attempt may be retried. */
export const isDeadlock = (err: unknown): boolean => findPgError(err)?.code === '40P01';

export function constraintToAppError(err: unknown): AppError | undefined {
  const pg = findPgError(err);
  if (!pg?.code) return undefined;
  const generic = PG_CONFLICT_CODES[pg.code];
  if (!generic) return undefined;
  const name = pg.constraint_name ?? pg.constraint;
  const specific = name ? constraintMessages.get(name) : undefined;
  return new AppError(409, specific?.code ?? generic.code, specific?.message ?? generic.message);
}

/** A business rule broken by one field of the request: the client can point at the field. */
export const fieldConflict = (code: string, message: string, path: string, status = 409) =>
  new AppError(status, code, message, [{ path, message }]);
export const invalidField = (path: string, message: string) =>
  badRequest('VALIDATION_FAILED', 'Some fields are invalid', [{ path, message }]);

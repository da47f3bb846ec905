import { describe, expect, it } from 'vitest';
import { toEnvelope } from '../plugins/errors';
import { isDatabaseUnavailable } from './client';

/** Shaped as postgres.js makes them: socket errors, its own connection errors, server errors. */
const pgError = (code: string) => Object.assign(new Error(`server said ${code}`), { code });
/** drizzle wraps a failed query, keeping the driver's error as `cause`. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });

describe('isDatabaseUnavailable', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'CONNECTION_CLOSED',
    'CONNECTION_DESTROYED',
    'CONNECT_TIMEOUT',
    '57P01', // terminating connection due to administrator command
    '57P02', // crash shutdown
    '57P03', // the database system is starting up / shutting down
    '53300', // too many connections
    '08006', // connection failure
  ])('%s is PostgreSQL away, bare or wrapped by drizzle', (code) => {
    expect(isDatabaseUnavailable(pgError(code))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(pgError(code)))).toBe(true);
  });

  it('finds a refused connection among several attempts', () => {
    expect(isDatabaseUnavailable(new AggregateError([pgError('ECONNREFUSED')]))).toBe(true);
  });

  it.each(['23505', '40001', '25P02', '42P01', '57014'])(
    '%s is about the statement, not the server',
    (code) => {
      expect(isDatabaseUnavailable(wrapped(pgError(code)))).toBe(false);
    },
  );

  it('maps to a 503 in the envelope, never a 500', () => {
    expect(toEnvelope(wrapped(pgError('57P01')))).toEqual({
      status: 503,
      body: { error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } },
    });
    expect(toEnvelope(new Error('something else')).status).toBe(500);
  });
});

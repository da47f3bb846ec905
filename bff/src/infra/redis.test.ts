import { describe, expect, it } from 'vitest';
import { isRedisUnavailable } from './redis';

describe('isRedisUnavailable', () => {
  it('knows how ioredis says Redis did not answer', () => {
    for (const message of [
      'Command timed out',
      "Stream isn't writeable and enableOfflineQueue options is false",
      'Connection is closed.',
      'Reached the max retries per request limit (which is 0). Refer to "maxRetriesPerRequest" option for details.',
    ])
      expect(isRedisUnavailable(new Error(message)), message).toBe(true);
  });

  it('leaves a refused command, a database error and non-errors alone (they stay 500s)', () => {
    for (const err of [
      new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      new Error('Command timed out while talking to WeChat'),
      'Command timed out',
      undefined,
    ])
      expect(isRedisUnavailable(err)).toBe(false);
  });
});

import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ensureRedis, findRedisServerBinary, pingRedis } from './embedded-redis';

/** A port nothing listens on: bind 0, note it, release it. */
async function unusedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

const hasBinary = (await findRedisServerBinary()) !== null;
const machineRedis = 'redis://127.0.0.1:6379';
const hasMachineRedis = await pingRedis(machineRedis);

describe('ensureRedis', () => {
  it.runIf(hasBinary)(
    'starts a private redis when nothing answers, and stop() ends it',
    { timeout: 20_000 },
    async () => {
      const wanted = `redis://127.0.0.1:${await unusedPort()}`;
      const redis = await ensureRedis(wanted, { probeTimeoutMs: 300 });
      expect(redis.embedded).toBe(true);
      expect(redis.url).not.toBe(wanted);
      const client = new Redis(redis.url);
      expect(await client.ping()).toBe('PONG');
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      await client.quit();
      await redis.stop();
      expect(await pingRedis(redis.url, 300)).toBe(false);
    },
  );

  it.runIf(hasMachineRedis)('uses a Redis that already answers', async () => {
    const redis = await ensureRedis(machineRedis);
    expect(redis).toMatchObject({ url: machineRedis, embedded: false });
    await redis.stop();
    expect(await pingRedis(machineRedis)).toBe(true);
  });

  it('explains how to get Redis when there is neither a server nor a binary', async () => {
    const url = `redis://127.0.0.1:${await unusedPort()}`;
    await expect(ensureRedis(url, { probeTimeoutMs: 300, path: '/nonexistent' })).rejects.toThrow(
      /apt-get install redis-server.*brew install redis.*REDIS_URL/,
    );
  });
});

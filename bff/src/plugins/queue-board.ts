import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../http/errors';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const ADMIN_COOKIE = 'linli_admin';

/**
 * Bull Board for staff. Browsers cannot send a bearer header, so /admin/login?token= turns a
 * staff access token into an HttpOnly cookie scoped to /admin that the auth hook also reads.
 */
export async function queueBoard(app: FastifyInstance) {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: app.deps.queues.all().map((q) => new BullMQAdapter(q)), serverAdapter: adapter });

  app.get('/admin/login', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const token = (request.query as { token?: string }).token ?? '';
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw notFound();
    return reply
      .header('set-cookie', `${ADMIN_COOKIE}=${token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=900`)
      .redirect(QUEUE_BOARD_PATH);
  });

  await app.register(async (scope) => {
    // Non-staff learn nothing, not even that the board exists.
    scope.addHook('onRequest', async (request) => {
      if (!request.actor?.roles.includes('staff')) throw notFound();
    });
    await scope.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}

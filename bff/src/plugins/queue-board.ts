import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { AppError, noSuchRoute } from '../http/errors';
import { toEnvelope } from './errors';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const ADMIN_COOKIE = 'linli_admin';

/**
 * Bull Board for the system's operators, read-only. Jobs carry every community's order ids and a
 * job added or edited by hand can move money, so a community's staff never see it, and nobody can
 * add, retry, promote, clean or edit a job over HTTP: jobs come from the outbox only.
 *
 * Browsers cannot send a bearer header, so /admin/login?token= turns an access token into an
 * HttpOnly cookie scoped to /admin that the auth hook also reads.
 */
export async function queueBoard(app: FastifyInstance) {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: app.deps.queues.all().map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Linli queues (read-only)' } },
  });
  // The board's API fails in our envelope too (a paused Redis is a 503), not with its raw message.
  adapter.setErrorHandler((err) => {
    const { status, body } = toEnvelope(err);
    if (status >= 500) app.log.error({ err }, 'queue board request failed');
    // Its status type lists no 503; Fastify sends whatever number it is given.
    return { status: status as 500, body };
  });

  app.get('/admin/login', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const token = (request.query as { token?: string }).token ?? '';
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw noSuchRoute();
    return reply
      .header('set-cookie', `${ADMIN_COOKIE}=${token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=900`)
      .redirect(QUEUE_BOARD_PATH);
  });

  await app.register(async (scope) => {
    // Only operators; to everyone else, signed in or not, the board answers like an unknown route.
    scope.addHook('onRoute', (opts) => {
      opts.config = { ...(opts.config as object), hidden: true, roles: ['operator'] };
    });
    // Answered here rather than thrown: the board's routes have an error handler of their own,
    // which would not speak our envelope.
    scope.addHook('onRequest', async (request, reply) => {
      // Everyone else, staff included, learns nothing, not even that the board exists.
      const refusal = !request.actor?.roles.includes('operator')
        ? noSuchRoute()
        : // Read-only mode already refuses the board's own actions; this refuses every other
          // writing verb too, so no route a later board version adds can change a job.
          request.method !== 'GET' && request.method !== 'HEAD'
          ? new AppError(405, 'READ_ONLY', 'The queue board is read-only')
          : null;
      if (refusal) {
        const { status, body } = toEnvelope(refusal);
        return reply.status(status).send(body);
      }
    });
    await scope.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}

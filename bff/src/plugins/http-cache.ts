import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Compression and caching headers for every answer. WeChat's wx.request and browsers send
 * Accept-Encoding, so bodies over a kilobyte go out gzipped (or deflated); brotli is left out: at
 * a level that pays off it costs more CPU per request than the bytes it saves on a phone link.
 * Nothing personal may be kept by a shared cache or the WeChat client's disk, so an answer that
 * did not choose its own Cache-Control (cacheable reads and image files do) is `no-store`; the
 * public API document may be kept a minute.
 */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
    app.addHook('onSend', async (request, reply) => {
      if (reply.hasHeader('cache-control')) return;
      reply.header('cache-control', request.url.startsWith('/docs/json') ? 'public, max-age=60' : 'no-store');
    });
  },
  { name: 'http-cache' },
);

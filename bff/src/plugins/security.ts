import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { AppError } from '../http/errors';

const hashOf = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

/** CSP hashes of the inline scripts of an HTML page (the H5 app's index.html has one). */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    const body = m[1]!;
    if (body.trim() === '') continue;
    hashes.push(hashOf(body));
  }
  return hashes;
}

/**
 * The headers helmet sets, worked out once: they are the same for every answer (no nonces), and
 * @fastify/helmet rebuilt the whole middleware, CSP parsing included, on every request (about a
 * tenth of the server's CPU on a cached catalog read).
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/**
 * Browser-facing hardening: security headers from helmet with one CSP for the H5 app,
 * the docs and the queue board (scripts only from our origin, plus the hashes of the H5 page's own
 * inline script; no framing by other sites), and JSON bodies only in UTF-8, since any other
 * charset would be parsed as UTF-8 anyway and read as something the client did not mean.
 */
export default fp<{ inlineScripts?: string[] }>(
  async (app: FastifyInstance, opts) => {
    const headers = helmetHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // Taro's H5 tab bar links are href="javascript:;" (the tap is handled in JS); allowing that
          // one no-op URL by its hash keeps them from logging a CSP violation on every tap.
          scriptSrc: ["'self'", "'unsafe-hashes'", hashOf('javascript:;'), ...(opts.inlineScripts ?? [])],
          scriptSrcAttr: ["'none'"],
          // React sets style attributes; Taro's H5 runtime injects <style> elements.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Cross-origin isolation would break images from the object store and WeChat avatars.
      crossOriginEmbedderPolicy: false,
      // Plain HTTP in development; production terminates TLS in front and sets HSTS there too.
      strictTransportSecurity: { maxAge: 15552000, includeSubDomains: true },
    });
    app.addHook('onRequest', async (_request, reply) => {
      reply.headers(headers);
    });

    app.addHook('onRequest', async (request) => {
      const type = request.headers['content-type'];
      if (!type || !/^application\/json\b/i.test(type)) return;
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
      if (charset && !/^utf-?8$/i.test(charset))
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON encoded as UTF-8');
    });
  },
  { name: 'security', dependencies: ['errors'] },
);

import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorEnvelope } from 'shared';

/**
 * What happens to a request before it reaches a route: its id, and the answers Fastify and Node
 * give on their own (a path segment too long, a malformed URL, a body that never finishes), put in
 * our envelope and echoing nothing the client sent.
 */

/** An X-Request-Id we keep for tracing must look like an id; anything else gets a fresh one. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

const envelope = (code: string, message: string): ErrorEnvelope => ({ error: { code, message } });

/** Router errors (Fastify's `frameworkErrors`): they bypass the error handler otherwise. */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return reply.status(414).send(envelope('URI_TOO_LONG', 'A part of the path is too long'));
  return reply.status(400).send(envelope('BAD_URL', 'The URL is malformed'));
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive'],
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are too large'],
};

/**
 * Node's `clientError`: a request that timed out while arriving (a slowly trickled body) or that
 * could not be parsed. The connection is answered in the envelope and closed.
 */
export function clientError(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [
    400,
    'BAD_REQUEST',
    'The request is malformed',
  ];
  const body = JSON.stringify(envelope(code, message));
  if (socket.writable)
    socket.end(
      `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  else socket.destroy(err);
}

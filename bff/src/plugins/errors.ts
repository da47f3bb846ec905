import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorDetail, ErrorEnvelope } from 'shared';
import { isDatabaseUnavailable } from '../db/client';
import { AppError, constraintToAppError, noSuchRoute } from '../http/errors';
import { findBadInput } from '../http/input-guard';
import { isRedisUnavailable } from '../infra/redis';

/** Fastify's own 4xx errors, renamed into our vocabulary. */
const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send JSON (Content-Type: application/json)',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'BAD_REQUEST',
    message: 'Content-Length does not match the body',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', message: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', message: 'The body is not valid JSON' },
};

function envelope(code: string, message: string, details?: ErrorDetail[]): ErrorEnvelope {
  return { error: details?.length ? { code, message, details } : { code, message } };
}

export function toEnvelope(err: FastifyError | Error): { status: number; body: ErrorEnvelope } {
  if (err instanceof AppError)
    return { status: err.statusCode, body: envelope(err.code, err.message, err.details) };

  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError).validationContext ?? 'body';
    const details = err.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is invalid',
    }));
    return { status: 400, body: envelope('VALIDATION_FAILED', 'Some fields are invalid', details) };
  }

  const constraint = constraintToAppError(err);
  if (constraint) return { status: 409, body: envelope(constraint.code, constraint.message) };

  const fe = err as FastifyError;
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const known = FASTIFY_CODES[fe.code]!;
    return { status: fe.statusCode ?? 400, body: envelope(known.code, known.message) };
  }
  if (fe.statusCode === 429)
    return { status: 429, body: envelope('RATE_LIMITED', 'Too many requests, slow down') };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 && !isResponseSerializationError(fe)) {
    return { status: fe.statusCode, body: envelope('BAD_REQUEST', fe.message) };
  }
  // A paused or unreachable Redis, a PostgreSQL restarting or out of reach: a retry may well
  // succeed, so not a 500 (the log still has the cause).
  if (isRedisUnavailable(err) || isDatabaseUnavailable(err))
    return {
      status: 503,
      body: envelope('SERVICE_UNAVAILABLE', 'Service briefly unavailable, try again shortly'),
    };
  return { status: 500, body: envelope('INTERNAL', 'Something went wrong on our side') };
}

export default fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request) => {
      // An action sent with no body at all (no content type either: what curl -X POST and many
      // clients send for .../pay) is taken as {}; a body declared as JSON must still be JSON.
      if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
      const bad =
        findBadInput(request.params, 'params') ??
        findBadInput(request.query, 'querystring') ??
        findBadInput(request.body, 'body');
      if (bad)
        throw new AppError(
          400,
          bad.code,
          bad.code === 'INPUT_TOO_DEEP' ? 'The request is nested too deeply' : 'Some fields are invalid',
          [{ path: bad.path, message: bad.message }],
        );
    });
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const { status, body } = toEnvelope(err);
      // 5xx: the log keeps the cause with the request id; the client gets no internals.
      if (status >= 500) request.log.error({ err }, 'request failed');
      else request.log.info({ code: body.error.code, status }, 'request rejected');
      return reply.status(status).send(body);
    });
    // The path is not echoed: whatever a client sends must not come back as our text.
    app.setNotFoundHandler((_request, reply) => {
      const { status, body } = toEnvelope(noSuchRoute());
      reply.status(status).send(body);
    });
  },
  { name: 'errors' },
);

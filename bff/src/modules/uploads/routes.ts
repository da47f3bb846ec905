import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { MAX_FILES_PER_UPLOAD } from 'shared';
import { AppError } from '../../http/errors';
import { route } from '../../http/route';
import type { Processed } from './images';
import { deleteUpload, getUpload, prepareImage, saveUploads, serveFile, type UploadDeps } from './service';
import { type ObjectStore, storeFromConfig } from './store';
import { createUploadUrls, runWithUploadUrls } from './urls';

const notMultipart = () =>
  new AppError(
    415,
    'UPLOAD_NOT_MULTIPART',
    'Send the images as multipart/form-data, one part named "file" per image',
  );

/** @fastify/multipart's and busboy's failures, in our vocabulary. */
function multipartError(err: unknown, maxBytes: number): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(
        413,
        'UPLOAD_TOO_LARGE',
        `An image may be at most ${Math.floor(maxBytes / (1024 * 1024))} MB`,
      );
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError(
        413,
        'UPLOAD_TOO_MANY_FILES',
        `At most ${MAX_FILES_PER_UPLOAD} images may be sent at once`,
      );
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return unexpectedField();
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return notMultipart();
  }
  // Busboy's own words for a body that is not well-formed multipart (no boundary, cut short).
  if (err instanceof Error && /multipart|boundary|unexpected end|premature/i.test(err.message))
    return new AppError(400, 'UPLOAD_MALFORMED', 'The multipart body is malformed or incomplete');
  return err;
}

const unexpectedField = () =>
  new AppError(400, 'UPLOAD_UNEXPECTED_FIELD', 'Send only image files, in parts named "file"');

/** Reads the parts one at a time, checking and re-encoding each as it arrives. */
async function readImages(request: FastifyRequest, deps: UploadDeps, maxBytes: number): Promise<Processed[]> {
  if (!request.isMultipart()) throw notMultipart();
  const images: Processed[] = [];
  try {
    const parts = request.parts({
      limits: {
        fileSize: maxBytes,
        files: MAX_FILES_PER_UPLOAD,
        fields: 0,
        parts: MAX_FILES_PER_UPLOAD,
        headerPairs: 20,
      },
    });
    for await (const part of parts) {
      if (part.type !== 'file' || part.fieldname !== 'file') throw unexpectedField();
      const data = await part.toBuffer();
      // The failing part is named by its position among the files, as the client sent them.
      const at = (message: string) => [{ path: `file.${images.length}`, message }];
      if (data.length === 0) throw new AppError(400, 'UPLOAD_EMPTY_FILE', 'A file is empty', at('is empty'));
      try {
        images.push(await prepareImage(deps, data));
      } catch (err) {
        if (err instanceof AppError)
          throw new AppError(err.statusCode, err.code, err.message, at(err.message));
        throw err;
      }
    }
  } catch (err) {
    throw multipartError(err, maxBytes);
  }
  if (images.length === 0)
    throw new AppError(400, 'UPLOAD_NO_FILES', 'No image was sent: add parts named "file"');
  return images;
}

/**
 * Uploads: the routes, and the signer every request carries so any view can sign image URLs. Not
 * encapsulated on purpose (the signer must reach other modules' routes); the routes themselves
 * sit in scopes of their own.
 */
export function uploadRoutes(opts: { store?: ObjectStore } = {}) {
  return fp(
    async (app: FastifyInstance) => {
      const { config } = app.deps;
      const store = opts.store ?? storeFromConfig(config);
      const urls = createUploadUrls(app.deps, store);
      const deps: UploadDeps = { db: app.deps.db, store, urls, maxPixels: config.UPLOAD_MAX_PIXELS };
      const maxBytes = config.UPLOAD_MAX_BYTES;

      app.addHook('onClose', async () => store.close?.());
      // preHandler: after the body is parsed (parsing can leave the request's async context).
      app.addHook('preHandler', (_request, _reply, done) => runWithUploadUrls(urls, done));

      await app.register(async (scope) => {
        // Only multipart reaches this route: any other body is refused before it is read.
        scope.removeAllContentTypeParsers();
        await scope.register(multipart, { throwFileSizeLimit: true });
        scope.addContentTypeParser('*', (_request, _payload, done) => done(notMultipart(), undefined));
        route(scope, 'createUploads', {
          status: 201,
          config: {
            rateLimit: {
              max: config.UPLOAD_RATE_LIMIT_PER_MINUTE,
              timeWindow: '1 minute',
              // Per person, not per address: a whole compound may share one.
              keyGenerator: (request) => `upload:${request.actor?.actorId ?? request.ip}`,
            },
          },
          handler: async ({ request, actor, query }) => ({
            items: await saveUploads(deps, actor, query.purpose, await readImages(request, deps, maxBytes)),
          }),
        });
      });

      await app.register(async (scope) => {
        route(scope, 'upload', { handler: ({ actor, params }) => getUpload(deps, actor, params.id) });
        route(scope, 'deleteUpload', {
          handler: async ({ actor, params }) => {
            await deleteUpload(deps, actor, params.id);
            return { ok: true as const };
          },
        });
        route(scope, 'uploadFile', {
          handler: async ({ request, params, query, reply }) => {
            const file = await serveFile(deps, params.id, query);
            // An upload's bytes never change, so its id and variant name them: a revalidation
            // (after max-age) costs a 304, not the image again. Checked after serveFile, so a
            // photo taken down answers 404 even to a cache that still holds it.
            const etag = `"${params.id}.${query.variant}"`;
            reply.header('etag', etag);
            if (request.headers['if-none-match'] === etag) {
              reply
                .code(304)
                .header('cache-control', `${file.shared ? 'public' : 'private'}, max-age=${file.maxAge}`);
              return reply.send();
            }
            reply
              .type(file.contentType)
              .header('cache-control', `${file.shared ? 'public' : 'private'}, max-age=${file.maxAge}`)
              // The URL is the permission: an H5 page on another origin (dev server) may show it.
              .header('cross-origin-resource-policy', 'cross-origin');
            return file.data;
          },
        });
      });
    },
    { name: 'uploads', dependencies: ['infrastructure', 'errors'] },
  );
}

import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { uuidv7 } from 'uuidv7';
import type { Config } from '../../config';

/**
 * Where the bytes of uploads live. Keys are ours (`<upload id>/<variant>.<ext>`), never a client's
 * file name. The database row is the truth of what exists; the store only holds bytes.
 */
export interface ObjectStore {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  /** Missing keys are not an error: deleting is safe to repeat. */
  delete(keys: string[]): Promise<void>;
  /**
   * A URL the client may fetch the object from directly until `expiresAt`, when the store can
   * hand one out (S3); otherwise the BFF serves the bytes behind its own signed URL.
   */
  presign?(key: string, expiresAt: Date, signedAt: Date): Promise<string>;
  /** Lets go of connections when the app closes. */
  close?(): void;
}

const KEY = /^[0-9a-f-]{36}\/[a-z]+\.[a-z]+$/;

function checkKey(key: string): string {
  // Keys are built by the service; this keeps a bug from ever turning into a path outside the root.
  if (!KEY.test(key)) throw new Error(`invalid object key ${JSON.stringify(key)}`);
  return key;
}

/** The default: files under the data directory, so `pnpm start` needs nothing else. */
export function localStore(root: string): ObjectStore {
  const base = resolve(root);
  const path = (key: string) => join(base, checkKey(key));
  return {
    kind: 'local',
    async put(key, body) {
      const file = path(key);
      await mkdir(dirname(file), { recursive: true });
      // Written aside and renamed: a reader never sees half a file, a crash leaves only a temp file.
      const tmp = `${file}.${uuidv7()}.tmp`;
      await writeFile(tmp, body, { mode: 0o600 });
      await rename(tmp, file);
    },
    async get(key) {
      try {
        return await readFile(path(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(keys) {
      const dirs = new Set<string>();
      for (const key of keys) {
        await rm(path(key), { force: true });
        dirs.add(dirname(path(key)));
      }
      // The per-upload folder goes with its last file; a folder still holding files stays.
      for (const dir of dirs) await rmdir(dir).catch(() => {});
    },
  };
}

export interface S3Options {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** S3 or any server speaking its protocol (MinIO, Ceph, OSS/COS in S3 mode). */
export function s3Store(opts: S3Options): ObjectStore & { client: S3Client } {
  const client = new S3Client({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? false,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    // Checksums on every request are newer than many S3-compatible servers; send them only when
    // an operation requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;
  return {
    kind: 's3',
    client,
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket, Key: checkKey(key), Body: body, ContentType: contentType }),
      );
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: checkKey(key) }));
        return res.Body ? Buffer.from(await res.Body.transformToByteArray()) : null;
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
        throw err;
      }
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await client.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: keys.map((k) => ({ Key: checkKey(k) })), Quiet: true },
        }),
      );
    },
    close() {
      client.destroy();
    },
    async presign(key, expiresAt, signedAt) {
      const expiresIn = Math.max(1, Math.round((expiresAt.getTime() - signedAt.getTime()) / 1000));
      return getSignedUrl(client, new GetObjectCommand({ Bucket, Key: checkKey(key) }), {
        expiresIn,
        signingDate: signedAt,
      });
    },
  };
}

export function storeFromConfig(config: Config): ObjectStore {
  if (config.UPLOAD_STORE === 'local') return localStore(config.UPLOAD_DIR);
  return s3Store({
    bucket: config.S3_BUCKET!,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: config.S3_ACCESS_KEY_ID,
            secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          },
        }
      : {}),
  });
}

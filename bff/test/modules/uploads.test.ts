import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import exifReader from 'exif-reader';
// s3rver ships no types; it is a real HTTP server speaking the S3 protocol (XML, path-style buckets).
// @ts-expect-error untyped module
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, refunds, uploads } from '../../src/db/schema';
import { s3Store } from '../../src/modules/uploads';
import { makeShop, orderBody, payOrder, placeOrder, type TestShop } from '../fixtures/market';
import { bearer, demoCommunityId, freshPhone, PHONES, TEST_ENV } from '../fixtures/people';
import {
  filePart,
  filesIn,
  heicHeader,
  image,
  multipart,
  type Part,
  phonePhoto,
  pngClaiming,
  postUploads,
  UPLOAD_TEST_ENV,
  uploadDir,
  uploadPhotos,
} from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };
const NOT_FOUND = { error: { code: 'NOT_FOUND', message: 'Resource not found' } };
const GHOST = '0190a0b0-0000-7000-8000-000000000000';

/** A GET of a URL the API handed out: through the app when it is ours, over HTTP when absolute. */
async function fetchImage(t: TestApp, url: string) {
  if (/^https?:/.test(url)) {
    const res = await fetch(url);
    const headers: Record<string, string> = Object.fromEntries(res.headers);
    return {
      status: res.status,
      type: headers['content-type'],
      body: Buffer.from(await res.arrayBuffer()),
      headers,
    };
  }
  const res = await t.app.inject({ method: 'GET', url });
  const headers = res.headers as Record<string, string>;
  return { status: res.statusCode, type: headers['content-type'], body: res.rawPayload, headers };
}

/** What an image served back says about itself. */
async function inspect(buf: Buffer) {
  const m = await sharp(buf).metadata();
  return { format: m.format, width: m.width, height: m.height, exif: m.exif, orientation: m.orientation };
}

async function rowsOf(t: TestApp, userId: string) {
  return t.deps.db.select().from(uploads).where(eq(uploads.ownerId, userId));
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read structurally
function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

/** An order the shop has accepted: the point at which a refund may be asked for. */
async function acceptedOrder(t: TestApp, shop: TestShop, me: Who): Promise<string> {
  const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
  await payOrder(t, me, order.id);
  const accepted = await t.call({
    method: 'POST',
    url: `/v1/merchant/orders/${order.id}/accept`,
    headers: bearer(shop.owner),
    payload: {},
  });
  expect(accepted.body.status).toBe('accepted');
  return order.id;
}

const askRefund = (t: TestApp, me: Who, orderId: string, photos: string[]) =>
  t.call({
    method: 'POST',
    url: `/v1/orders/${orderId}/refund-request`,
    headers: bearer(me),
    payload: { reason: '菜叶发黄', photos },
  });

describe('uploads on the local store', () => {
  let t: TestApp;
  let store: ReturnType<typeof uploadDir>;
  let shop: TestShop;
  beforeAll(async () => {
    store = uploadDir();
    // A low pixel cap makes a real decompression bomb cheap to build here.
    t = await setupTestApp({ ...TEST_ENV, ...UPLOAD_TEST_ENV, ...store.env, UPLOAD_MAX_PIXELS: '4000000' });
    shop = await makeShop(t, { products: [{ stock: 1000, priceFen: 800 }] });
  });
  afterAll(async () => {
    await t?.close();
    store?.cleanup();
  });

  it('a phone photo comes back re-encoded: no EXIF (no GPS), orientation applied, a thumbnail; private and signed', async () => {
    const me = await t.login(freshPhone());
    const original = await phonePhoto();
    const sent = await sharp(original).metadata();
    expect(exifReader(sent.exif!).GPSInfo).toMatchObject({ GPSLatitudeRef: 'N', GPSLongitudeRef: 'E' });
    expect(sent.orientation).toBe(6);

    // Name and Content-Type lie on purpose: the bytes decide.
    const res = await postUploads(t, me, [filePart(original, 'IMG_0001.HEIC', 'application/octet-stream')]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [u] = res.body.items;
    expect(u).toMatchObject({
      purpose: 'refund',
      visibility: 'private',
      contentType: 'image/jpeg',
      width: 200,
      height: 400,
      attached: false,
    });
    expect(u.url).toMatch(new RegExp(`^/v1/uploads/${u.id}/file\\?variant=image&exp=\\d+&sig=[\\w-]{43}$`));
    expect(u.thumbUrl).toMatch(/variant=thumb&exp=\d+&sig=/);
    expect(Date.parse(u.expiresAt)).toBeGreaterThan(t.clock.now().getTime() + 800_000);

    const full = await fetchImage(t, u.url);
    expect(full.status).toBe(200);
    expect(full.type).toBe('image/jpeg');
    expect(full.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(await inspect(full.body)).toEqual({
      format: 'jpeg',
      width: 200,
      height: 400,
      exif: undefined,
      orientation: undefined,
    });
    expect(full.body.includes(Buffer.from('LinliPhone'))).toBe(false);
    const thumb = await fetchImage(t, u.thumbUrl);
    expect(await inspect(thumb.body)).toMatchObject({ width: 160, height: 320, exif: undefined });

    // What sits on disk is the re-encoded image, under our key, never the bytes as sent.
    expect(filesIn(store.dir).filter((f) => f.startsWith(u.id))).toEqual([
      `${u.id}/image.jpg`,
      `${u.id}/thumb.jpg`,
    ]);
    expect(readFileSync(join(store.dir, u.id, 'image.jpg')).equals(full.body)).toBe(true);
    const [row] = await rowsOf(t, me.userId);
    expect(row).toMatchObject({ id: u.id, ownerId: me.userId, attachedId: null, bytes: full.body.length });
  });

  it('PNG and WebP are taken too, several in one request, in the order sent', async () => {
    const me = await t.login(freshPhone());
    const parts = [
      filePart(await image('png', 30, 10), 'a.png', 'image/png'),
      filePart(await image('webp', 10, 30), 'b.webp', 'image/webp'),
      filePart(await image('jpeg', 20, 20)),
    ];
    const res = await postUploads(t, me, parts);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items.map((u: { width: number; height: number }) => [u.width, u.height])).toEqual([
      [30, 10],
      [10, 30],
      [20, 20],
    ]);
    expect(new Set(res.body.items.map((u: { contentType: string }) => u.contentType))).toEqual(
      new Set(['image/jpeg']),
    );
    // A transparent PNG becomes white behind, not black.
    const png = await sharp((await fetchImage(t, res.body.items[0].url)).body)
      .raw()
      .toBuffer();
    expect(png[0]).toBeGreaterThan(100);
  });

  describe('bad input: a 4xx with a clear code, and nothing stored', () => {
    let me: Who;
    beforeAll(async () => {
      me = await t.login(freshPhone());
    });

    const cases: [
      string,
      () => Promise<{ parts?: Part[]; raw?: { payload: unknown; headers: Record<string, string> } }>,
      number,
      string,
    ][] = [
      [
        'a text file named like a photo',
        async () => ({ parts: [filePart(Buffer.from('not a photo at all, just text'))] }),
        415,
        'UPLOAD_TYPE_UNSUPPORTED',
      ],
      [
        'a zip named like a photo',
        async () => ({ parts: [filePart(Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00rest-of-a-zip'))] }),
        415,
        'UPLOAD_TYPE_UNSUPPORTED',
      ],
      [
        'an SVG (script inside) named like a photo',
        async () => ({
          parts: [
            filePart(
              Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
              'x.png',
              'image/png',
            ),
          ],
        }),
        415,
        'UPLOAD_TYPE_UNSUPPORTED',
      ],
      [
        'a HEIC the image library here cannot decode',
        async () => ({ parts: [filePart(heicHeader(), 'IMG.HEIC', 'image/heic')] }),
        415,
        'UPLOAD_HEIC_UNSUPPORTED',
      ],
      [
        'a truncated JPEG',
        async () => {
          const full = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#888' } })
            .jpeg()
            .toBuffer();
          return { parts: [filePart(full.subarray(0, Math.floor(full.length / 2)))] };
        },
        400,
        'UPLOAD_IMAGE_CORRUPT',
      ],
      [
        'a 50 MB file',
        async () => ({
          parts: [filePart(Buffer.concat([await image('jpeg'), Buffer.alloc(50 * 1024 * 1024)]))],
        }),
        413,
        'UPLOAD_TOO_LARGE',
      ],
      [
        'a decompression bomb: a small PNG of 3000x3000 over the 4 MP cap',
        async () => {
          const bomb = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#fff' } })
            .png({ compressionLevel: 9 })
            .toBuffer();
          expect(bomb.length).toBeLessThan(100_000);
          return { parts: [filePart(bomb, 'bomb.png', 'image/png')] };
        },
        413,
        'UPLOAD_TOO_MANY_PIXELS',
      ],
      [
        'a PNG whose header claims 100000 x 100000 in a hundred bytes',
        async () => ({ parts: [filePart(pngClaiming(100_000, 100_000), 'x.png', 'image/png')] }),
        413,
        'UPLOAD_TOO_MANY_PIXELS',
      ],
      [
        '10 photos',
        async () => {
          const p = await image('jpeg');
          return { parts: Array.from({ length: 10 }, () => filePart(p)) };
        },
        413,
        'UPLOAD_TOO_MANY_FILES',
      ],
      ['an empty part', async () => ({ parts: [filePart(Buffer.alloc(0))] }), 400, 'UPLOAD_EMPTY_FILE'],
      [
        'a good photo, then a bad one (the good one is not kept either)',
        async () => ({ parts: [filePart(await image('jpeg')), filePart(Buffer.from('nope'))] }),
        415,
        'UPLOAD_TYPE_UNSUPPORTED',
      ],
      [
        'a text field instead of a file',
        async () => ({ parts: [{ name: 'note', data: 'hello' }] }),
        400,
        'UPLOAD_UNEXPECTED_FIELD',
      ],
      [
        'a file under another field name',
        async () => ({ parts: [{ ...filePart(await image('jpeg')), name: 'avatar' }] }),
        400,
        'UPLOAD_UNEXPECTED_FIELD',
      ],
      ['a multipart body with no parts', async () => ({ parts: [] }), 400, 'UPLOAD_NO_FILES'],
      [
        'JSON',
        async () => ({
          raw: {
            payload: { photos: ['https://img.example.com/a.jpg'] },
            headers: { 'content-type': 'application/json' },
          },
        }),
        415,
        'UPLOAD_NOT_MULTIPART',
      ],
      [
        'an image as the raw body',
        async () => ({ raw: { payload: await image('jpeg'), headers: { 'content-type': 'image/jpeg' } } }),
        415,
        'UPLOAD_NOT_MULTIPART',
      ],
      [
        'text/plain',
        async () => ({ raw: { payload: 'hello', headers: { 'content-type': 'text/plain' } } }),
        415,
        'UPLOAD_NOT_MULTIPART',
      ],
      [
        'multipart without a boundary',
        async () => ({ raw: { payload: 'x', headers: { 'content-type': 'multipart/form-data' } } }),
        400,
        'UPLOAD_MALFORMED',
      ],
      [
        'a multipart body cut off mid-file',
        async () => {
          const body = multipart([filePart(await image('jpeg'))]);
          return {
            raw: { payload: body.payload.subarray(0, body.payload.length - 40), headers: body.headers },
          };
        },
        400,
        'UPLOAD_MALFORMED',
      ],
    ];

    it.each(cases.map(([name, make, status, code]) => ({ name, make, status, code })))(
      '$name -> $status $code',
      async ({ make, status, code }) => {
        const before = filesIn(store.dir);
        const input = await make();
        const res = input.raw
          ? await t.call({
              method: 'POST',
              url: '/v1/uploads?purpose=refund',
              headers: { ...bearer(me), ...input.raw.headers },
              payload: input.raw.payload as string,
            })
          : await postUploads(t, me, input.parts!);
        expectError(res, status, code);
        expect(await rowsOf(t, me.userId)).toEqual([]);
        expect(filesIn(store.dir)).toEqual(before);
      },
    );

    it('a file the checks name points at its part', async () => {
      const res = await postUploads(t, me, [filePart(await image('jpeg')), filePart(Buffer.from('nope'))]);
      expect(res.body.error.details).toEqual([
        { path: 'file.1', message: expect.stringContaining('Only images') },
      ]);
    });

    it('an unknown purpose, no purpose, no token', async () => {
      const photo = [filePart(await image('jpeg'))];
      const unknown = await postUploads(t, me, photo, 'avatar');
      expectError(unknown, 400, 'VALIDATION_FAILED');
      expect(unknown.body.error.details[0].path).toBe('querystring.purpose');
      const body = multipart(photo);
      const none = await t.call({
        method: 'POST',
        url: '/v1/uploads',
        headers: { ...bearer(me), ...body.headers },
        payload: body.payload,
      });
      expectError(none, 400, 'VALIDATION_FAILED');
      const anon = await t.call({
        method: 'POST',
        url: '/v1/uploads?purpose=refund',
        headers: body.headers,
        payload: body.payload,
      });
      expectError(anon, 401, 'UNAUTHORIZED');
      expect(await rowsOf(t, me.userId)).toEqual([]);
    });
  });

  describe('signed URLs', () => {
    let owner: Who;
    let u: { id: string; url: string; thumbUrl: string };
    beforeAll(async () => {
      owner = await t.login(freshPhone());
      const res = await postUploads(t, owner, [filePart(await image('jpeg'))]);
      u = res.body.items[0];
    });
    const q = (url: string) => new URL(url, 'http://x').searchParams;

    it('a tampered signature, expiry, variant or id is refused before anything is looked up', async () => {
      const { exp, sig } = Object.fromEntries(q(u.url)) as { exp: string; sig: string };
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      const bad = [
        `/v1/uploads/${u.id}/file?variant=image&exp=${exp}&sig=${flip(sig)}`,
        `/v1/uploads/${u.id}/file?variant=image&exp=${Number(exp) + 3600}&sig=${sig}`,
        `/v1/uploads/${u.id}/file?variant=thumb&exp=${exp}&sig=${sig}`,
        `/v1/uploads/${GHOST}/file?variant=image&exp=${exp}&sig=${sig}`,
        `/v1/uploads/${u.id}/file?variant=image&exp=${exp}`,
        `/v1/uploads/${u.id}/file?variant=image&sig=${sig}`,
      ];
      for (const url of bad) {
        const res = await t.call({ method: 'GET', url });
        expectError(res, 403, 'UPLOAD_LINK_INVALID');
      }
      const malformed = await t.call({
        method: 'GET',
        url: `/v1/uploads/${u.id}/file?variant=image&exp=${exp}&sig=short`,
      });
      expectError(malformed, 400, 'VALIDATION_FAILED');
    });

    it('a private image without a signature is a 404, like an id that does not exist', async () => {
      for (const id of [u.id, GHOST]) {
        const res = await t.call({ method: 'GET', url: `/v1/uploads/${id}/file` });
        expect(res.status).toBe(404);
        expect(res.body).toEqual(NOT_FOUND);
      }
    });

    it('an expired link is refused; asking again gives a fresh one', async () => {
      expect((await fetchImage(t, u.url)).status).toBe(200);
      const res = await t.call({ method: 'GET', url: `/v1/uploads/${u.id}`, headers: bearer(owner) });
      t.clock.advance(2 * 3600_000);
      try {
        for (const url of [u.url, res.body.thumbUrl])
          expectError(await t.call({ method: 'GET', url }), 403, 'UPLOAD_LINK_EXPIRED');
        const fresh = await t.call({ method: 'GET', url: `/v1/uploads/${u.id}`, headers: bearer(owner) });
        expect(fresh.body.url).not.toBe(u.url);
        expect((await fetchImage(t, fresh.body.url)).status).toBe(200);
      } finally {
        t.clock.advance(-2 * 3600_000);
      }
    });

    it('the same page shown twice within minutes gets the same URLs (so they cache)', async () => {
      const a = await t.call({ method: 'GET', url: `/v1/uploads/${u.id}`, headers: bearer(owner) });
      const b = await t.call({ method: 'GET', url: `/v1/uploads/${u.id}`, headers: bearer(owner) });
      expect(b.body.url).toBe(a.body.url);
    });
  });

  describe('other people on every id route', () => {
    let owner: Who;
    let others: [string, Who][];
    beforeAll(async () => {
      owner = await t.login(freshPhone());
      others = [
        ['another resident', await t.login(freshPhone())],
        ['a merchant', shop.owner],
        ['staff', await t.login(PHONES.staff)],
      ];
    });

    it('GET and DELETE /v1/uploads/:id answer 404 to anyone but the owner, exactly as for no such id', async () => {
      const [id] = await uploadPhotos(t, owner);
      for (const [label, who] of others) {
        for (const method of ['GET', 'DELETE'] as const) {
          for (const target of [id!, GHOST]) {
            const res = await t.call({ method, url: `/v1/uploads/${target}`, headers: bearer(who) });
            expect(res.status, `${label} ${method}`).toBe(404);
            expect(res.body, `${label} ${method}`).toEqual(NOT_FOUND);
          }
        }
      }
      // Still there, still the owner's.
      const mine = await t.call({ method: 'GET', url: `/v1/uploads/${id}`, headers: bearer(owner) });
      expect(mine.status).toBe(200);
      expect(mine.body.id).toBe(id);
      expect(JSON.stringify(mine.body)).not.toContain(owner.userId);
    });

    it('the owner deletes an unattached upload: row and files gone, its links dead', async () => {
      const [id] = await uploadPhotos(t, owner);
      const { body: view } = await t.call({
        method: 'GET',
        url: `/v1/uploads/${id}`,
        headers: bearer(owner),
      });
      const res = await t.call({ method: 'DELETE', url: `/v1/uploads/${id}`, headers: bearer(owner) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
      expect(filesIn(store.dir).some((f) => f.startsWith(id!))).toBe(false);
      expect(await t.deps.db.select().from(uploads).where(eq(uploads.id, id!))).toEqual([]);
      expect((await fetchImage(t, view.url)).status).toBe(404);
      expect((await t.call({ method: 'GET', url: `/v1/uploads/${id}`, headers: bearer(owner) })).status).toBe(
        404,
      );
    });

    it('a family member uploads for an elder: the elder owns it, and it is audited', async () => {
      const proxy = await t.login(PHONES.familyProxy);
      const elder = await t.login(PHONES.elder);
      const res = await postUploads(t, proxy, [filePart(await image('jpeg'))], 'refund', {
        'x-on-behalf-of': elder.userId,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const [row] = await t.deps.db.select().from(uploads).where(eq(uploads.id, res.body.items[0].id));
      expect(row!.ownerId).toBe(elder.userId);
      const audited = await t.deps.db.select().from(auditLog).where(eq(auditLog.action, 'upload.created'));
      expect(audited.some((a) => a.actorId === proxy.userId && a.onBehalfOf === elder.userId)).toBe(true);
      // The elder's upload, not the family member's own.
      expect(
        (await t.call({ method: 'GET', url: `/v1/uploads/${row!.id}`, headers: bearer(proxy) })).status,
      ).toBe(404);
    });
  });

  describe('refund photos', () => {
    it("a refund takes the requester's uploads; the resident and the shop see them through signed URLs, nobody else", async () => {
      const me = await t.login(freshPhone());
      const orderId = await acceptedOrder(t, shop, me);
      const ids = await uploadPhotos(t, me, 2);
      const res = await askRefund(t, me, orderId, [ids[1]!, ids[0]!]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const photos = res.body.refund.photos;
      expect(photos.map((p: { id: string }) => p.id)).toEqual([ids[1], ids[0]]);
      for (const p of photos) {
        expect(p.url).toMatch(/&sig=/);
        expect((await fetchImage(t, p.url)).status).toBe(200);
        expect((await fetchImage(t, p.thumbUrl)).status).toBe(200);
      }
      const rows = await t.deps.db.select().from(uploads).where(eq(uploads.ownerId, me.userId));
      expect(rows.every((r) => r.attachedType === 'refund' && r.attachedId === res.body.refund.id)).toBe(
        true,
      );

      const merchant = await t.call({
        method: 'GET',
        url: `/v1/merchant/orders/${orderId}`,
        headers: bearer(shop.owner),
      });
      expect(merchant.body.refund.photos.map((p: { id: string }) => p.id)).toEqual([ids[1], ids[0]]);
      expect((await fetchImage(t, merchant.body.refund.photos[0].url)).status).toBe(200);

      // Anyone else: the order is a 404, so no URL ever reaches them; the upload itself is the owner's alone.
      const stranger = await t.login(freshPhone());
      const otherShop = await makeShop(t);
      for (const [who, url] of [
        [stranger, `/v1/orders/${orderId}`],
        [otherShop.owner, `/v1/merchant/orders/${orderId}`],
        [shop.owner, `/v1/uploads/${ids[0]}`],
        [stranger, `/v1/uploads/${ids[0]}`],
      ] as const) {
        const r = await t.call({ method: 'GET', url, headers: bearer(who) });
        expect(r.status, url).toBe(404);
        expect(r.body).toEqual(NOT_FOUND);
      }
      // Attached: it stays with the refund.
      expectError(
        await t.call({ method: 'DELETE', url: `/v1/uploads/${ids[0]}`, headers: bearer(me) }),
        409,
        'UPLOAD_ATTACHED',
      );
    });

    it("someone else's upload, one already used, a post's photo, or no such id: 409 naming the photo, no refund", async () => {
      const me = await t.login(freshPhone());
      const other = await t.login(freshPhone());
      const [theirs] = await uploadPhotos(t, other);
      const [mine] = await uploadPhotos(t, me);
      const [post] = await uploadPhotos(t, me, 1, 'post');
      const usedOrder = await acceptedOrder(t, shop, me);
      const [used] = await uploadPhotos(t, me);
      expect((await askRefund(t, me, usedOrder, [used!])).status).toBe(200);

      const orderId = await acceptedOrder(t, shop, me);
      for (const bad of [theirs!, used!, post!, GHOST]) {
        const res = await askRefund(t, me, orderId, [mine!, bad]);
        expectError(res, 409, 'UPLOAD_NOT_AVAILABLE');
        expect(res.body.error.details).toEqual([{ path: 'body.photos.1', message: expect.any(String) }]);
      }
      expect(await t.deps.db.select().from(refunds).where(eq(refunds.orderId, orderId))).toEqual([]);
      // Nothing was taken by the failed attempts: the good photo is still free for a real request.
      const [row] = await t.deps.db.select().from(uploads).where(eq(uploads.id, mine!));
      expect(row!.attachedId).toBeNull();
      expect((await askRefund(t, me, orderId, [mine!])).status).toBe(200);

      const dup = await askRefund(t, me, await acceptedOrder(t, shop, me), [GHOST, GHOST]);
      expectError(dup, 400, 'VALIDATION_FAILED');
    });

    it('two refund requests racing for the same photo: one gets it', async () => {
      const me = await t.login(freshPhone());
      const [a, b] = [await acceptedOrder(t, shop, me), await acceptedOrder(t, shop, me)];
      const [photo] = await uploadPhotos(t, me);
      const results = await Promise.allSettled([
        askRefund(t, me, a, [photo!]),
        askRefund(t, me, b, [photo!]),
      ]);
      const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 0)).sort();
      expect(statuses).toEqual([200, 409]);
      const [row] = await t.deps.db.select().from(uploads).where(eq(uploads.id, photo!));
      const won = await t.deps.db.select().from(refunds).where(eq(refunds.id, row!.attachedId!));
      expect(won).toHaveLength(1);
    });
  });

  it("a public upload (a post's photo) is signed until attached, then served to anyone without a signature", async () => {
    // A verified member of the demo community, so the photo can go on a real post.
    const me = await t.login(PHONES.resident);
    const [id] = await uploadPhotos(t, me, 1, 'post');
    const before = await t.call({ method: 'GET', url: `/v1/uploads/${id}`, headers: bearer(me) });
    expect(before.body).toMatchObject({
      visibility: 'public',
      attached: false,
      url: expect.stringContaining('&sig='),
    });
    expect((await t.call({ method: 'GET', url: `/v1/uploads/${id}/file` })).status).toBe(404);

    const post = await t.call({
      method: 'POST',
      url: '/v1/neighbors/posts',
      headers: bearer(me),
      payload: { communityId: await demoCommunityId(t), topic: 'pets', text: '小区里的橘猫', imageIds: [id] },
    });
    expect(post.status).toBe(201);
    const after = await t.call({ method: 'GET', url: `/v1/uploads/${id}`, headers: bearer(me) });
    expect(after.body).toMatchObject({
      attached: true,
      expiresAt: null,
      url: `/v1/uploads/${id}/file?variant=image`,
    });
    const served = await fetchImage(t, after.body.url);
    expect(served.status).toBe(200);
    // Short-lived in caches: a photo taken down must leave them soon.
    expect(served.headers['cache-control']).toBe('public, max-age=600');

    // Once the post is gone, so is its photo (to anyone without a signature).
    const del = await t.call({
      method: 'DELETE',
      url: `/v1/neighbors/posts/${post.body.id}`,
      headers: bearer(me),
    });
    expect(del.status).toBe(200);
    expect((await fetchImage(t, after.body.url)).status).toBe(404);
  });
});

describe('limits per person', () => {
  let t: TestApp;
  const store = uploadDir();
  beforeAll(async () => {
    t = await setupTestApp({ ...TEST_ENV, ...store.env, UPLOAD_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await t?.close();
    store.cleanup();
  });

  it('uploads are rate limited per person, not per address', async () => {
    const [a, b] = [await t.login(freshPhone()), await t.login(freshPhone())];
    const photo = [filePart(await image('jpeg'))];
    expect((await postUploads(t, a, photo)).status).toBe(201);
    expect((await postUploads(t, a, photo)).status).toBe(201);
    expectError(await postUploads(t, a, photo), 429, 'RATE_LIMITED');
    // Same address (every inject comes from 127.0.0.1), another person: still allowed.
    expect((await postUploads(t, b, photo)).status).toBe(201);
  });

  it('the upload routes are in the OpenAPI document', async () => {
    const doc = await t.call({ method: 'GET', url: '/docs/json' });
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/uploads', '/v1/uploads/{id}', '/v1/uploads/{id}/file']),
    );
  });
});

describe('uploads on S3 (s3rver on loopback)', () => {
  const BUCKET = 'linli-test';
  let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
  let dir: string;
  let endpoint: string;
  let t: TestApp;
  let shop: TestShop;
  const keys = async () => {
    const s3 = s3Store({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const list = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    s3.client.destroy();
    return (list.Contents ?? []).map((o) => o.Key!).sort();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linli-s3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    t = await setupTestApp({
      ...TEST_ENV,
      ...UPLOAD_TEST_ENV,
      UPLOAD_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    });
    shop = await makeShop(t, { products: [{ stock: 100, priceFen: 800 }] });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the photo lands in the bucket re-encoded and comes back through a presigned URL without EXIF', async () => {
    const me = await t.login(freshPhone());
    const res = await postUploads(t, me, [filePart(await phonePhoto())]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [u] = res.body.items;
    expect(await keys()).toEqual(expect.arrayContaining([`${u.id}/image.jpg`, `${u.id}/thumb.jpg`]));
    expect(u.url.startsWith(`${endpoint}/${BUCKET}/${u.id}/image.jpg?`)).toBe(true);
    expect(new URL(u.url).searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    const got = await fetchImage(t, u.url);
    expect(got.status).toBe(200);
    expect(got.type).toBe('image/jpeg');
    expect(await inspect(got.body)).toEqual({
      format: 'jpeg',
      width: 200,
      height: 400,
      exif: undefined,
      orientation: undefined,
    });
    expect(await inspect((await fetchImage(t, u.thumbUrl)).body)).toMatchObject({ width: 160, height: 320 });
  });

  it('an expired presigned URL is refused by the server', async () => {
    const me = await t.login(freshPhone());
    // URLs signed two hours ago with a 15-minute life: expired by the server's own clock.
    t.clock.advance(-2 * 3600_000);
    let url: string;
    try {
      url = (await postUploads(t, me, [filePart(await image('jpeg'))])).body.items[0].url;
    } finally {
      t.clock.advance(2 * 3600_000);
    }
    const res = await fetchImage(t, url);
    expect(res.status).toBe(403);
    expect(res.body.toString()).toContain('Request has expired');
  });

  it('bad input stores nothing in the bucket', async () => {
    const me = await t.login(freshPhone());
    const before = await keys();
    for (const parts of [
      [filePart(await image('jpeg')), filePart(Buffer.from('not an image'))],
      [filePart(Buffer.concat([await image('jpeg'), Buffer.alloc(50 * 1024 * 1024)]))],
      [filePart(pngClaiming(100_000, 100_000), 'x.png', 'image/png')],
    ]) {
      const res = await postUploads(t, me, parts);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await keys()).toEqual(before);
    expect(await rowsOf(t, me.userId)).toEqual([]);
  });

  it('deleting removes both objects; refund photos are presigned for the resident and the shop', async () => {
    const me = await t.login(freshPhone());
    const [gone, kept] = await uploadPhotos(t, me, 2);
    expect((await t.call({ method: 'DELETE', url: `/v1/uploads/${gone}`, headers: bearer(me) })).status).toBe(
      200,
    );
    const now = await keys();
    expect(now.some((k) => k.startsWith(gone!))).toBe(false);
    expect(now.filter((k) => k.startsWith(kept!))).toHaveLength(2);

    const orderId = await acceptedOrder(t, shop, me);
    const res = await askRefund(t, me, orderId, [kept!]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const merchant = await t.call({
      method: 'GET',
      url: `/v1/merchant/orders/${orderId}`,
      headers: bearer(shop.owner),
    });
    for (const p of [res.body.refund.photos[0], merchant.body.refund.photos[0]]) {
      expect(p.url.startsWith(endpoint)).toBe(true);
      expect((await fetchImage(t, p.url)).status).toBe(200);
    }
  });
});

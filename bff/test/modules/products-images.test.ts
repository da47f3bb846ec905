import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MERCHANTS } from '../../src/demo';
import { merchants } from '../../src/modules/merchants/tables';
import { seedProductImages } from '../../src/modules/products/seed';
import { products } from '../../src/modules/products/tables';
import { localStore } from '../../src/modules/uploads';
import { bearer, PHONES, TEST_ENV } from '../fixtures/people';
import { UPLOAD_TEST_ENV, uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
const store = uploadDir();
type Who = { authorization: string; userId: string };
let owner: Who; // 菜宅送
let rival: Who; // 惠民超市, another merchant
let resident: Who;
let shopId: string;

const PRODUCE_OWNER = '13800000002';
const GROCERY_OWNER = '13800000006';

const create = (who: Who, payload: Record<string, unknown>) =>
  t.call({ method: 'POST', url: '/v1/merchant/products', headers: bearer(who), payload });
const patch = (who: Who, id: string, payload: Record<string, unknown>) =>
  t.call({ method: 'PATCH', url: `/v1/merchant/products/${id}`, headers: bearer(who), payload });
const file = (url: string, headers: Record<string, string> = {}) => t.call({ method: 'GET', url, headers });
const product = (over: Record<string, unknown> = {}) => ({
  name: '带图小葱',
  category: '蔬菜',
  unit: '把',
  priceFen: 150,
  stock: 20,
  ...over,
});
async function inCatalog(id: string) {
  const res = await t.call({
    method: 'GET',
    url: `/v1/products?merchantId=${shopId}&limit=50`,
    headers: bearer(resident),
  });
  expect(res.status).toBe(200);
  return (res.body.items as { id: string; images: { id: string; url: string; thumbUrl: string }[] }[]).find(
    (p) => p.id === id,
  );
}

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, ...UPLOAD_TEST_ENV, ...store.env });
  [owner, rival, resident] = await Promise.all([
    t.login(PRODUCE_OWNER),
    t.login(GROCERY_OWNER),
    t.login(PHONES.resident),
  ]);
  const [shop] = await t.deps.db.select().from(merchants).where(eq(merchants.ownerId, owner.userId));
  shopId = shop!.id;
}, 30_000);
afterAll(async () => {
  await t?.close();
  store.cleanup();
});

describe('product pictures', () => {
  it('a merchant uploads a picture, creates a product with it; the catalogue shows it at a public, cacheable URL', async () => {
    const [img] = await uploadPhotos(t, owner, 1, 'product');
    const res = await create(owner, product({ imageIds: [img] }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.images).toEqual([
      expect.objectContaining({ id: img, url: `/v1/uploads/${img}/file?variant=image` }),
    ]);
    const listed = await inCatalog(res.body.id);
    expect(listed!.images.map((i) => i.id)).toEqual([img]);

    // Anyone may fetch it without a signature, and caches may keep it.
    const got = await file(listed!.images[0]!.thumbUrl);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const etag = got.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    // Revalidation costs a 304 with no body.
    const again = await file(listed!.images[0]!.thumbUrl, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('edits replace the list; a picture taken out is no longer served, even to a cache revalidating it', async () => {
    const [a, b] = await uploadPhotos(t, owner, 2, 'product');
    const made = await create(owner, product({ name: '换图香菜', imageIds: [a] }));
    expect(made.status).toBe(201);
    const url = made.body.images[0].url as string;
    const etag = (await file(url)).headers.etag as string;

    const res = await patch(owner, made.body.id, { imageIds: [b, a] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.images.map((i: { id: string }) => i.id)).toEqual([b, a]);

    const dropped = await patch(owner, made.body.id, { imageIds: [b] });
    expect(dropped.body.images.map((i: { id: string }) => i.id)).toEqual([b]);
    expect((await file(url)).status).toBe(404);
    expect((await file(url, { 'if-none-match': etag })).status).toBe(404);
    // Off the shelf, the merchant still sees its picture in their own list.
    await patch(owner, made.body.id, { onShelf: false });
    const own = await t.call({ method: 'GET', url: '/v1/merchant/products', headers: bearer(owner) });
    const mine = own.body.items.find((p: { id: string }) => p.id === made.body.id);
    expect(mine.images.map((i: { id: string }) => i.id)).toEqual([b]);
    expect((await file(mine.images[0].url)).status).toBe(200);
  });

  it('an unattached product upload is not public yet', async () => {
    const [img] = await uploadPhotos(t, owner, 1, 'product');
    expect((await file(`/v1/uploads/${img}/file?variant=image`)).status).toBe(404);
  });

  it('refuses pictures that are not the merchant’s own, unused product uploads, and more than five', async () => {
    const [rivalImg] = await uploadPhotos(t, rival, 1, 'product');
    const [refundImg] = await uploadPhotos(t, owner, 1, 'refund');
    for (const id of [rivalImg, refundImg]) {
      const res = await create(owner, product({ name: '借图', imageIds: [id] }));
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: 'UPLOAD_NOT_AVAILABLE',
        details: [expect.objectContaining({ path: 'body.imageIds.0' })],
      });
    }
    // Already on another product.
    const [used] = await uploadPhotos(t, owner, 1, 'product');
    expect((await create(owner, product({ name: '一号', imageIds: [used] }))).status).toBe(201);
    const twice = await create(owner, product({ name: '二号', imageIds: [used] }));
    expect(twice.status).toBe(409);
    // Nothing was created by the refused requests.
    const names = (await t.deps.db.select({ name: products.name }).from(products)).map((p) => p.name);
    expect(names).not.toContain('借图');
    expect(names).not.toContain('二号');

    const six = await uploadPhotos(t, owner, 6, 'product');
    const many = await create(owner, product({ name: '六张', imageIds: six }));
    expect(many.status).toBe(400);
    expect(many.body.error.details[0].path).toBe('body.imageIds');
    const dup = await create(owner, product({ name: '重复', imageIds: [six[0], six[0]] }));
    expect(dup.status).toBe(400);
  });

  it('foreign tokens: another merchant cannot put a picture on my product, nor take mine for theirs; a resident cannot either', async () => {
    const [mine] = await uploadPhotos(t, owner, 1, 'product');
    const made = await create(owner, product({ name: '我的青蒜', imageIds: [mine] }));
    expect(made.status).toBe(201);
    const [theirs] = await uploadPhotos(t, rival, 1, 'product');

    const foreign = await patch(rival, made.body.id, { imageIds: [theirs] });
    expect(foreign.status).toBe(404);
    const asResident = await patch(resident, made.body.id, { imageIds: [] });
    expect(asResident.status).toBe(403);
    const [row] = await t.deps.db.select().from(products).where(eq(products.id, made.body.id));
    expect(row!.imageIds).toEqual([mine]);

    // My picture, on the rival's own product: refused like an id that does not exist.
    const rivalProduct = await create(rival, product({ name: '别家青蒜' }));
    expect(rivalProduct.status).toBe(201);
    const stolen = await patch(rival, rivalProduct.body.id, { imageIds: [mine] });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('UPLOAD_NOT_AVAILABLE');
    // And the rival's unused upload is still theirs to use.
    expect((await patch(rival, rivalProduct.body.id, { imageIds: [theirs] })).status).toBe(200);
  });

  it('two edits racing with the same new picture attach it once', async () => {
    const [img] = await uploadPhotos(t, owner, 1, 'product');
    const [p1, p2] = await Promise.all([
      create(owner, product({ name: '抢图一' })),
      create(owner, product({ name: '抢图二' })),
    ]);
    const results = await Promise.all([
      patch(owner, p1.body.id, { imageIds: [img] }),
      patch(owner, p2.body.id, { imageIds: [img] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe('the seeded drawings', () => {
  it('give every seeded food product its own small picture, stored through uploads and served with caching', async () => {
    const seedStore = localStore(store.dir);
    let drawn = 0;
    for (const m of DEMO_MERCHANTS) {
      const who = await t.login(m.ownerPhone);
      const [shop] = await t.deps.db.select().from(merchants).where(eq(merchants.ownerId, who.userId));
      drawn += await t.deps.db.transaction((tx) => seedProductImages(tx, seedStore, shop!.id, who.userId));
    }
    const seeded = DEMO_MERCHANTS.flatMap((m) => m.products.map((p) => p.name));
    // Home services are no longer products: the repair shop lists none.
    expect(DEMO_MERCHANTS.find((m) => m.category === 'repairs')!.products).toEqual([]);
    expect(drawn).toBe(seeded.length);

    const shown: { name: string; images: { url: string; thumbUrl: string }[] }[] = [];
    for (const m of DEMO_MERCHANTS) {
      const who = await t.login(m.ownerPhone);
      const [shop] = await t.deps.db.select().from(merchants).where(eq(merchants.ownerId, who.userId));
      const res = await t.call({
        method: 'GET',
        url: `/v1/products?merchantId=${shop!.id}&limit=50`,
        headers: bearer(resident),
      });
      expect(res.status).toBe(200);
      shown.push(...res.body.items.filter((p: { name: string }) => seeded.includes(p.name)));
    }
    expect(shown.length).toBeGreaterThanOrEqual(40);
    const sizes = new Set<number>();
    for (const p of shown) {
      expect(p.images, p.name).toHaveLength(1);
      const img = await file(p.images[0]!.url);
      expect(img.status, p.name).toBe(200);
      expect(img.headers['cache-control']).toMatch(/^public/);
      expect(img.headers.etag).toBeTruthy();
      const bytes = Number(img.headers['content-length']);
      expect(bytes, p.name).toBeLessThan(8 * 1024);
      sizes.add(bytes);
    }
    // Each its own drawing, not one picture for all.
    expect(sizes.size).toBeGreaterThan(shown.length * 0.8);

    // A re-seed draws nothing twice.
    const again = await t.deps.db.transaction(async (tx) => {
      const who = await t.login(PRODUCE_OWNER);
      return seedProductImages(tx, seedStore, shopId, who.userId);
    });
    expect(again).toBe(0);
  });
});

import type { MerchantProduct } from 'shared';
import { describe, expect, it } from 'vitest';
import { changedFields, draftOf, EMPTY_DRAFT, PRODUCT_FIELD_HINTS, parseDraft } from './product-form-model';

const good = { ...EMPTY_DRAFT, name: '本地小白菜', category: '蔬菜', unit: '斤', price: '2.9', stock: '100' };
// Upload ids are uuids; these name them u1, u2...
const U = (n: number) => `0190a1b2-c3d4-7e5f-8a9b-${String(n).padStart(12, '0')}`;
const [u1, u2] = [U(1), U(2)];
const img = (id: string) => ({ id, url: `/i/${id}`, thumbUrl: `/t/${id}`, width: 10, height: 10 });

function saved(images: string[]): MerchantProduct {
  const r = parseDraft(good);
  if (!r.ok) throw new Error('draft should parse');
  return {
    ...(r.body as Omit<MerchantProduct, 'images'>),
    id: 'p',
    merchantId: 'm',
    description: '',
    originalPriceFen: null,
    perOrderLimit: null,
    lowStockThreshold: 5,
    temperature: 'ambient',
    sizeHint: 'S',
    images: images.map(img),
    onShelf: true,
    sortOrder: 0,
    soldOut: false,
    shopOpen: true,
  };
}

describe('product pictures in the form', () => {
  it('a new product sends the uploaded pictures in the order chosen', () => {
    const r = parseDraft({ ...good, imageIds: [u1, u2] });
    expect(r).toMatchObject({ ok: true, body: { imageIds: [u1, u2] } });
    expect(parseDraft(good)).toMatchObject({ ok: true, body: { imageIds: [] } });
  });

  it('refuses more than five with Chinese copy', () => {
    const r = parseDraft({ ...good, imageIds: [1, 2, 3, 4, 5, 6].map(U) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.imageIds).toBe(PRODUCT_FIELD_HINTS.imageIds);
  });

  it('an edit sends the list only when it changed, including a new first picture', () => {
    const before = saved([u1, u2]);
    expect(draftOf(before).imageIds).toEqual([u1, u2]);
    const same = parseDraft(draftOf(before));
    if (!same.ok) throw new Error('draft should parse');
    expect(changedFields(before, same.body)).toEqual({});
    const reordered = parseDraft({ ...draftOf(before), imageIds: [u2, u1] });
    if (!reordered.ok) throw new Error('draft should parse');
    expect(changedFields(before, reordered.body)).toEqual({ imageIds: [u2, u1] });
    const cleared = parseDraft({ ...draftOf(before), imageIds: [] });
    if (!cleared.ok) throw new Error('draft should parse');
    expect(changedFields(before, cleared.body)).toEqual({ imageIds: [] });
  });
});

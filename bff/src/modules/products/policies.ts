import { and, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { shopsOwnedBy } from '../merchants';
import { products } from './tables';

/** A merchant runs the products of their own shop only. */
export const productManage = definePolicy('product.manage', (db, actor, list) =>
  db
    .select({ id: products.id })
    .from(products)
    .where(and(inArray(products.merchantId, shopsOwnedBy(db, actor.actorId)), inArray(products.id, list))),
);

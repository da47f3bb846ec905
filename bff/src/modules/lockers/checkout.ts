import { fitsIn } from 'shared';
import type { DbOrTx } from '../../db/client';
import { fieldConflict, invalidField } from '../../http/errors';
import { approvedCompounds } from '../memberships';
import { servesCommunity } from '../merchants';
import type { DeliveryModeStep } from '../orders';
import { freeForWindow, lockBank, reachWanted } from './banks';
import { lockerOrders } from './tables';
import { takesOrders, windowRow } from './windows';

/**
 * Locker delivery at checkout: the shop offers it and serves the window's community, the window
 * still takes orders, the bank is active and in a compound the resident lives in, and the bank
 * still has room in this window for what the order needs (packed the way the cut-off will pack
 * it). The bank row is locked so two orders cannot both take its last compartment. Then the
 * window, the bank, the resident's consent and whether the order asks for compartments in reach
 * (never a reason to refuse it: the cut-off falls back to any row) are recorded beside the order.
 */
export const lockerCheckout: DeliveryModeStep<{
  windowId: string;
  bankId: string;
  preferReachable: boolean;
}> = {
  async check(tx, { deps, actor, shop, delivery, products }) {
    if (delivery.mode !== 'locker') throw new Error('the locker step runs for locker delivery only');
    if (!shop.offersLocker)
      throw fieldConflict(
        'DELIVERY_UNAVAILABLE',
        'This shop does not deliver to lockers',
        'body.delivery.mode',
      );
    const w = await windowRow(tx, delivery.windowId);
    if (!w || !(await servesCommunity(tx, shop.id, w.communityId)))
      throw invalidField('body.delivery.windowId', 'is not a delivery window of this shop');
    if (!takesOrders(w, deps.clock.now()))
      throw fieldConflict(
        'WINDOW_CLOSED',
        'This delivery window is closed for new orders',
        'body.delivery.windowId',
      );
    const bank = await lockBank(tx, delivery.lockerBankId);
    if (!bank || !(await approvedCompounds(tx, actor.userId)).includes(bank.compoundId))
      throw invalidField('body.delivery.lockerBankId', 'is not a locker of a compound you live in');
    if (bank.status !== 'active')
      throw fieldConflict(
        'LOCKER_UNAVAILABLE',
        'This locker bank is out of service',
        'body.delivery.lockerBankId',
      );
    const free = await freeForWindow(tx, bank, w.id);
    if (
      !fitsIn(
        products.map((p) => ({ zone: p.temperature, size: p.sizeHint })),
        free,
      )
    )
      throw fieldConflict(
        'LOCKER_FULL',
        'This locker bank has no room left for this order in this window',
        'body.delivery.lockerBankId',
      );
    // The order will be placed by the actor (a family proxy, under X-On-Behalf-Of) for the user.
    const reach = await reachWanted(
      tx,
      [{ id: 'new', userId: actor.userId, placedBy: actor.actorId }],
      deps.clock.now(),
      deps.config.TZ_DISPLAY,
    );
    return { windowId: w.id, bankId: bank.id, preferReachable: reach.get('new')! };
  },
  record(db: DbOrTx, order, checked, at) {
    return db.insert(lockerOrders).values({ orderId: order.id, ...checked, consentAt: at });
  },
};

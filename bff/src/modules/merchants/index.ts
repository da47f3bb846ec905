import type { LinliModule } from '../../module';
import { merchantRoutes } from './routes';
import { seedMerchants } from './seed';

/** Shops: applications, verification by staff, hours, delivery settings, the counter's code lock. */
export const merchantsModule: LinliModule = {
  seed: seedMerchants,
  name: 'merchants',
  routes: merchantRoutes,
};

export {
  escapeLike,
  listedShops,
  lockShopOf,
  MAX_WRONG_PICKUP_CODES,
  type MerchantRow,
  merchantFromJson,
  merchantJson,
  merchantRow,
  PICKUP_CODE_LOCK_MS,
  pickupLockedUntil,
  recordWrongPickupCode,
  resetWrongPickupCodes,
  servesCommunity,
  shopIdOf,
  shopOf,
  shopsByIds,
  shopsOwnedBy,
  shopsServing,
  staffMerchants,
  takesOrdersAt,
} from './service';

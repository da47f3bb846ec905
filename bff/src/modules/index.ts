import type { LinliModule } from '../module';
import { auditModule } from './audit';
import { authModule } from './auth';
import { careModule } from './care';
import { communityModule } from './community';
import { homeModule } from './home';
import { identityModule } from './identity';
import { lockersModule } from './lockers';
import { meModule } from './me';
import { membershipsModule } from './memberships';
import { merchantsModule } from './merchants';
import { neighborsModule } from './neighbors';
import { notificationsModule } from './notifications';
import { ordersModule } from './orders';
import { paymentsModule } from './payments';
import { placesModule } from './places';
import { productsModule } from './products';
import { proxiesModule } from './proxies';
import { refundsModule } from './refunds';
import { requestsModule } from './requests';
import { uploadsModule } from './uploads';
import { volunteersModule } from './volunteers';

/**
 * The one list of modules, in dependency order (a module comes after those it uses). The entry
 * points loop over it: routes, queues, jobs, worker start-up hooks and seed steps.
 */
export const MODULES: LinliModule[] = [
  identityModule,
  auditModule,
  uploadsModule,
  notificationsModule,
  authModule,
  placesModule,
  membershipsModule,
  proxiesModule,
  meModule,
  merchantsModule,
  productsModule,
  paymentsModule,
  ordersModule,
  refundsModule,
  lockersModule,
  careModule,
  volunteersModule,
  neighborsModule,
  communityModule,
  requestsModule,
  // Reads the others' public faces for 首页: after all of them.
  homeModule,
];

/** The queues the modules own, for the runtime that opens them. */
export const queueNames = (): string[] => MODULES.flatMap((m) => (m.queues ?? []).map((q) => q.name));

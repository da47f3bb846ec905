import type { LinliModule } from '../../module';
import { elderActFor } from './policies';
import { proxyRoutes } from './routes';

/** Family proxies (家属代办): links an elder consented to, and acting for them. */
export const proxiesModule: LinliModule = {
  name: 'proxies',
  routes: proxyRoutes,
  auth: { actFor: elderActFor },
};

export { elderActFor } from './policies';
export { eldersOf } from './service';

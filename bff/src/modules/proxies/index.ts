import type { LinliModule } from '../../module';
import { elderActFor } from './policies';
import { proxyRoutes } from './routes';
import { seedProxies } from './seed';

/** Family proxies (家属代办): links an elder consented to, and acting for them. */
export const proxiesModule: LinliModule = {
  seed: seedProxies,
  name: 'proxies',
  routes: proxyRoutes,
  auth: { actFor: elderActFor },
};

export { elderActFor } from './policies';
export { consentedProxiesOf, eldersOf, staffLinks } from './service';

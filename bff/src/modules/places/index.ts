import type { LinliModule } from '../../module';
import { placeRoutes } from './routes';

export const placesModule: LinliModule = { name: 'places', routes: placeRoutes };

import type { LinliModule } from '../../module';
import { placeRoutes } from './routes';

/** Communities, compounds, buildings, households, and which staff run which community. */
export const placesModule: LinliModule = { name: 'places', routes: placeRoutes };

export { compoundsRunBy, householdsRunBy, staffCommunityIds } from './scope';
export {
  type CompoundRow,
  compoundsByIds,
  compoundsOf,
  existingCommunities,
  type HouseholdPlace,
  householdPlaces,
  staffOf,
} from './service';

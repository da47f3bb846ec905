import type { LinliModule } from '../../module';
import { placeRoutes } from './routes';
import { seedPlaces } from './seed';

/** Communities, compounds, buildings, households, and which staff run which community. */
export const placesModule: LinliModule = {
  seed: seedPlaces,
  name: 'places',
  routes: placeRoutes,
};

export { communitiesRunBy, compoundsRunBy, householdsIn, householdsRunBy, staffCommunityIds } from './scope';
export {
  type CompoundRow,
  communityNames,
  compoundsByIds,
  compoundsOf,
  existingCommunities,
  type HouseholdPlace,
  householdPlaceRows,
  householdPlaces,
  staffOf,
} from './service';

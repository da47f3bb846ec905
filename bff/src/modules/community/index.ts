import type { LinliModule } from '../../module';

/** The community office: notices with read receipts, urgent alerts, household polls, activities. */
export const communityModule: LinliModule = {
  name: 'community',
};

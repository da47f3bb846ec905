import type { LinliModule } from '../../module';

/** Resident requests (needs, complaints, repairs) dispatched to a handler under time limits. */
export const requestsModule: LinliModule = {
  name: 'requests',
};

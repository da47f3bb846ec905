import type { LinliModule } from '../../module';

/** Neighbors: posts by topic, comments, likes, reports and moderation, interest groups. */
export const neighborsModule: LinliModule = {
  name: 'neighbors',
};

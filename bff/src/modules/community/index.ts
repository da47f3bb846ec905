import { eq } from 'drizzle-orm';
import { handles, type LinliModule } from '../../module';
import { registerPublicShownCheck } from '../uploads';
import { sendReminder } from './activities';
import { runFanoutChunk } from './fanout';
import { COMMUNITY_QUEUE, communityReminderJob, fanoutChunkJob } from './jobs';
import { communityRoutes } from './routes';
import { seedCommunity } from './seed';
import { communityNotices } from './tables';

// A notice's photo is on show until the notice is withdrawn or edited without it.
registerPublicShownCheck('notice', async (db, noticeId, uploadId) => {
  const [n] = await db
    .select({ withdrawnAt: communityNotices.withdrawnAt, imageIds: communityNotices.imageIds })
    .from(communityNotices)
    .where(eq(communityNotices.id, noticeId));
  return n !== undefined && n.withdrawnAt === null && n.imageIds.includes(uploadId);
});

/**
 * The community office: notices with read receipts, urgent alerts fanned out to every member in
 * chunks, household polls, interest groups and community activities with a waitlist.
 */
export const communityModule: LinliModule = {
  name: 'community',
  seed: seedCommunity,
  routes: communityRoutes,
  queues: [COMMUNITY_QUEUE],
  jobs: [
    handles(fanoutChunkJob, (p, deps) => runFanoutChunk(deps, p.kind, p.subjectId, p.seq)),
    handles(communityReminderJob, (p, deps) => sendReminder(deps, p.activityId, p.kind, p.startsAt)),
  ],
};

export { listNotices, noticeDigest } from './notices';

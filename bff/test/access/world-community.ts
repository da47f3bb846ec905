import { asc, eq } from 'drizzle-orm';
import {
  alertAcks,
  buildings,
  communityActivities,
  communityAlerts,
  communityNotices,
  communitySignups,
  compounds,
  groupMembers,
  households,
  interestGroups,
  memberships,
  noticeReads,
  polls,
  pollVotes,
} from '../../src/db/schema';
import { freshPhone } from '../fixtures/people';
import type { Who, WorldBase } from './world';

/**
 * The community domain's resource factories for the foreign-token cases: each makes a real instance (through
 * the API where one exists) and returns its id, its owner and `state()` (everything a refused
 * request could have changed).
 *
 * Everything is made in 别处社区, run by `elsewhereStaff`, with a household and two verified members
 * of its own: every foreign role of the cases (the demo community's residents, staff, the family
 * proxy and its elder) is then a stranger to it, and the demo staff are "staff of another community".
 */
export async function communityMakers<P extends Record<string, Who>>(w: WorldBase<P>) {
  const { t, db, send, done, elsewhereCommunityId: communityId } = w;
  const staff = (w.people as unknown as { elsewhereStaff: Who }).elsewhereStaff;
  const [compound] = await db
    .select({ id: compounds.id })
    .from(compounds)
    .where(eq(compounds.communityId, communityId));
  const [building] = await db.insert(buildings).values({ compoundId: compound!.id, name: '9栋' }).returning();
  const [home] = await db.insert(households).values({ buildingId: building!.id, unit: '901' }).returning();
  /** A fresh verified member of the household in 别处社区. */
  const member = async () => {
    const who = await t.login(freshPhone());
    await db.insert(memberships).values({ userId: who.userId, householdId: home!.id, status: 'approved' });
    return who;
  };
  const later = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

  /**
   * A fresh member and a resource staff make through the API (`path`, `body`); `then` takes the
   * member's first step on it. `state` reads what a refused call could have changed.
   */
  async function made<S>(
    path: string,
    body: object,
    state: (id: string) => Promise<S>,
    then?: (owner: Who, id: string, res: Record<string, unknown>) => Promise<unknown>,
  ) {
    const owner = await member();
    const res = done(await send(staff, 'POST', `/v1/staff/community/${path}`, body), 201);
    const id = res.id as string;
    await then?.(owner, id, res);
    return { id, owner, staff, res, state: () => state(id) };
  }
  const rowOf = async <T>(rows: Promise<T[]>) => (await rows)[0];

  const communityNotice = () =>
    made('notices', { title: '权限通知', body: '正文' }, async (id) => ({
      notice: await rowOf(db.select().from(communityNotices).where(eq(communityNotices.id, id))),
      reads: await db.select().from(noticeReads).where(eq(noticeReads.noticeId, id)),
    }));

  const communityAlert = () =>
    made('alerts', { text: '权限测试警报' }, async (id) => ({
      alert: await rowOf(db.select().from(communityAlerts).where(eq(communityAlerts.id, id))),
      acks: await db.select().from(alertAcks).where(eq(alertAcks.alertId, id)),
    }));

  const communityPoll = () =>
    made(
      'polls',
      { question: '权限投票', options: ['是', '否'], closesAt: later(48 * 3_600_000) },
      async (id) => ({
        poll: await rowOf(db.select().from(polls).where(eq(polls.id, id))),
        votes: await db.select().from(pollVotes).where(eq(pollVotes.pollId, id)),
      }),
    );

  const communityGroup = (stage: 'open' | 'joined' = 'open') =>
    made(
      'groups',
      { name: `权限小组${freshPhone()}` },
      async (id) => ({
        group: await rowOf(db.select().from(interestGroups).where(eq(interestGroups.id, id))),
        members: await db.select().from(groupMembers).where(eq(groupMembers.groupId, id)),
      }),
      async (owner, id) =>
        stage === 'joined' && done(await send(owner, 'POST', `/v1/community/groups/${id}/join`, {})),
    );

  async function communityActivity(stage: 'open' | 'signed_up' = 'open') {
    const startsAt = new Date(t.clock.now().getTime() + 2 * 3_600_000);
    const s = await made(
      'activities',
      {
        title: '权限活动',
        place: '别处广场',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        capacity: 5,
      },
      async (id) => ({
        activity: await rowOf(db.select().from(communityActivities).where(eq(communityActivities.id, id))),
        signups: await db
          .select()
          .from(communitySignups)
          .where(eq(communitySignups.activityId, id))
          .orderBy(asc(communitySignups.seq)),
      }),
      async (owner, id) =>
        stage === 'signed_up' && done(await send(owner, 'POST', `/v1/community/activities/${id}/signup`, {})),
    );
    return { ...s, startsAt, code: s.res.checkinCode as string };
  }

  return { communityNotice, communityAlert, communityPoll, communityGroup, communityActivity };
}

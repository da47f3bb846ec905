import { and, eq, inArray } from 'drizzle-orm';
import { addDays, DISPLAY_TZ, localClock, zonedInstant } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { SeedContext } from '../../module';
import { communityActivities, communityNotices, interestGroups, polls } from './tables';

const DAY = 86_400_000;
const STAFF_PHONE = '13800000001';
/** The activity's first, unseasonal title (a 重阳节 event in December); renamed on reseed. */
const OLD_ACTIVITY_TITLE = '重阳节书法义写春联';

const NOTICES = [
  {
    title: '关于小区二次供水设施清洗的通知',
    body: '各位居民：本周六上午 8:00—12:00 对小区二次供水水箱进行清洗消毒，期间 1 栋、2 栋将暂停供水，请提前做好储水准备。给您带来不便，敬请谅解。',
    pinned: true,
  },
  {
    title: '社区卫生服务站免费测血压',
    body: '每周三上午，社区卫生服务站为 60 岁以上居民免费测量血压、血糖，请携带医保卡到社区服务中心一楼。',
    pinned: false,
  },
];

const GROUPS = [
  { name: '广场舞队', description: '每天晚上 7 点在中心广场，欢迎新朋友' },
  { name: '书法兴趣小组', description: '每周六下午在社区活动室练字交流，笔墨纸砚社区提供' },
];

/**
 * The demo community's office: a pinned notice and a normal one, an open poll, two interest groups
 * and an upcoming activity hosted by one of them. Idempotent: what exists (by title or name) stays.
 */
export async function seedCommunity(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const staffId = ctx.ids.get(STAFF_PHONE)!;
  const communityId = ctx.communityId;
  const now = ctx.now.getTime();
  for (const [i, n] of NOTICES.entries()) {
    const [found] = await tx
      .select({ id: communityNotices.id })
      .from(communityNotices)
      .where(and(eq(communityNotices.communityId, communityId), eq(communityNotices.title, n.title)));
    if (!found)
      await tx
        .insert(communityNotices)
        .values({ communityId, authorId: staffId, ...n, publishedAt: new Date(now - (i + 1) * DAY) });
  }
  const groupIds: string[] = [];
  for (const g of GROUPS) {
    const [row] = await tx
      .insert(interestGroups)
      .values({ communityId, createdBy: staffId, ...g })
      .onConflictDoUpdate({
        target: [interestGroups.communityId, interestGroups.name],
        set: { name: g.name },
      })
      .returning({ id: interestGroups.id });
    groupIds.push(row!.id);
  }
  const question = '是否同意在 2 栋北侧增设电动自行车充电棚？';
  const [poll] = await tx
    .select({ id: polls.id })
    .from(polls)
    .where(and(eq(polls.communityId, communityId), eq(polls.question, question)));
  if (!poll)
    await tx.insert(polls).values({
      communityId,
      authorId: staffId,
      question,
      description: '充电棚约 30 个车位，费用由公共维修基金列支。每户一票。',
      options: ['同意', '不同意', '无所谓'],
      multiple: false,
      maxChoices: 1,
      opensAt: new Date(now - DAY),
      closesAt: new Date(now + 14 * DAY),
      resultsVisibility: 'after_vote',
    });
  const title = '迎新春书法义写春联';
  const [activity] = await tx
    .select({ id: communityActivities.id, title: communityActivities.title })
    .from(communityActivities)
    .where(
      and(
        eq(communityActivities.communityId, communityId),
        inArray(communityActivities.title, [title, OLD_ACTIVITY_TITLE]),
      ),
    );
  // The group meets on Saturday afternoons, so its activity does too: the next Saturday, 14:30–16:30.
  const day = nextSaturday(ctx.now);
  const when = {
    startsAt: zonedInstant(day, '14:30', DISPLAY_TZ),
    endsAt: zonedInstant(day, '16:30', DISPLAY_TZ),
  };
  if (!activity) {
    await tx.insert(communityActivities).values({
      communityId,
      groupId: groupIds[1]!,
      organiserId: staffId,
      title,
      description: '书法小组老师现场写福字、春联，免费赠送给居民。',
      place: '社区服务中心二楼活动室',
      ...when,
      capacity: 30,
      checkinCode: '246810',
    });
  } else if (activity.title === OLD_ACTIVITY_TITLE) {
    // Databases seeded before the rename: retitle and reschedule the same row rather than add a second.
    await tx
      .update(communityActivities)
      .set({ title, ...when })
      .where(eq(communityActivities.id, activity.id));
  }
}

/** The local date (YYYY-MM-DD) of the first Saturday after today in the display zone. */
function nextSaturday(now: Date): string {
  const today = localClock(now, DISPLAY_TZ);
  return addDays(today.date, (6 - today.weekday + 7) % 7 || 7);
}

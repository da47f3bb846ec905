import type { RequestCategory, RequestEventKind, RequestStatus } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { SeedContext } from '../../module';
import { shopsOwnedBy } from '../merchants';
import { householdPlaces } from '../places';
import { requestEvents, residentRequests } from './tables';

const HOUR = 3_600_000;
const STAFF = '13800000001';
/** 郑师傅 runs 邻里快修, the demo's home-repair shop. */
const REPAIR_SHOP_OWNER = '13800000009';

interface DemoRequest {
  id: string;
  phone: string;
  household: number;
  category: RequestCategory;
  text: string;
  location: string;
  status: RequestStatus;
  /** Hours before the seed's now that it was raised. */
  ageHours: number;
  handler?: 'staff' | 'shop';
  rating?: [number, string];
  note?: string;
  /** The timeline after the submission: kind, by, hours after it was raised. */
  steps: [RequestEventKind, 'staff' | 'handler' | 'resident', number][];
}

const DEMO_REQUESTS: DemoRequest[] = [
  {
    id: '019a0000-0000-7000-8000-0000000000a1',
    phone: '13800000012',
    household: 6,
    category: 'environment',
    text: '3栋一单元楼道里堆了很多纸箱和旧家具，影响通行，也有消防隐患，麻烦清理一下。',
    location: '3栋一单元楼道',
    status: 'submitted',
    ageHours: 2,
    steps: [],
  },
  {
    id: '019a0000-0000-7000-8000-0000000000a2',
    phone: '13800000013',
    household: 9,
    category: 'repair',
    text: '厨房水龙头一直滴水，关不紧，想请师傅上门换一个。',
    location: '',
    status: 'dispatched',
    ageHours: 5,
    handler: 'shop',
    steps: [['dispatch', 'staff', 1]],
  },
  {
    id: '019a0000-0000-7000-8000-0000000000a3',
    phone: '13800000014',
    household: 12,
    category: 'safety',
    text: '北门进来左手边的路灯晚上不亮，老人走夜路不安全。',
    location: '北门路灯',
    status: 'resolved',
    ageHours: 30,
    handler: 'staff',
    note: '已联系物业更换灯泡，今晚起恢复照明。',
    steps: [
      ['dispatch', 'staff', 1],
      ['accept', 'handler', 2],
      ['resolve', 'handler', 20],
    ],
  },
  {
    id: '019a0000-0000-7000-8000-0000000000a4',
    phone: '13800000015',
    household: 15,
    category: 'need',
    text: '想给家里老人申请助餐服务，不知道怎么办理，希望有人讲解一下。',
    location: '',
    status: 'closed',
    ageHours: 80,
    handler: 'staff',
    note: '已上门讲解长者饭堂助餐办理流程，并协助填写了申请。',
    rating: [5, '王社工很耐心，谢谢！'],
    steps: [
      ['dispatch', 'staff', 1],
      ['accept', 'handler', 3],
      ['resolve', 'handler', 26],
      ['close', 'resident', 30],
    ],
  },
  {
    id: '019a0000-0000-7000-8000-0000000000a5',
    phone: '13800000016',
    household: 18,
    category: 'complaint',
    text: '隔壁小区工地晚上十一点还在施工。',
    location: '',
    status: 'rejected',
    ageHours: 50,
    note: '该工地不在本社区辖区，已告知居民拨打12345反映。',
    steps: [['reject', 'staff', 4]],
  },
];

/**
 * A few requests of the demo community in the states a staff member meets in a day: one waiting
 * for dispatch, one with 邻里快修, one to rate, one done, one turned down. Fixed ids: seeding again
 * adds nothing. Their time-limit jobs come from the worker's start-up sweep.
 */
export async function seedRequests(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const staffId = ctx.ids.get(STAFF)!;
  const shopOwner = ctx.ids.get(REPAIR_SHOP_OWNER);
  const [shop] = shopOwner ? await shopsOwnedBy(tx, shopOwner) : [];
  const places = await householdPlaces(tx, ctx.householdIds);
  for (const r of DEMO_REQUESTS) {
    const residentId = ctx.ids.get(r.phone);
    const place = places.get(ctx.householdIds[r.household] ?? '');
    if (!residentId || !place || (r.handler === 'shop' && !shop)) continue;
    const created = new Date(ctx.now.getTime() - r.ageHours * HOUR);
    const at = (h: number) => new Date(created.getTime() + h * HOUR);
    const when = (k: RequestEventKind) => {
      const s = r.steps.find(([kind]) => kind === k);
      return s ? at(s[2]) : null;
    };
    const [row] = await tx
      .insert(residentRequests)
      .values({
        id: r.id,
        communityId: place.communityId,
        compoundId: place.compoundId,
        householdId: place.householdId,
        residentId,
        raisedBy: residentId,
        category: r.category,
        text: r.text,
        location: r.location || place.address,
        contact: 'phone',
        status: r.status,
        handlerUserId: r.handler === 'staff' ? staffId : null,
        handlerMerchantId: r.handler === 'shop' ? shop!.id : null,
        dispatchedAt: when('dispatch'),
        respondBy: at(24),
        respondedAt: when('accept') ?? when('reject'),
        resolveBy: at(72),
        resolvedAt: when('resolve'),
        resolutionNote: when('resolve') ? (r.note ?? null) : null,
        resolvedBy: when('resolve') ? staffId : null,
        rating: r.rating?.[0] ?? null,
        ratingText: r.rating?.[1] ?? null,
        ratedAt: r.rating ? when('close') : null,
        closedAt: when('close'),
        rejectReason: r.status === 'rejected' ? (r.note ?? null) : null,
        version: r.steps.length,
        createdAt: created,
        updatedAt: r.steps.length ? at(r.steps.at(-1)![2]) : created,
      })
      .onConflictDoNothing()
      .returning({ id: residentRequests.id });
    if (!row) continue;
    await tx.insert(requestEvents).values([
      { requestId: r.id, kind: 'submit', byRole: 'resident', byUserId: residentId, at: created },
      ...r.steps.map(([kind, by, h]) => ({
        requestId: r.id,
        kind,
        byRole: by,
        byUserId: by === 'resident' ? residentId : staffId,
        note:
          kind === 'resolve' || kind === 'reject'
            ? (r.note ?? '')
            : kind === 'close'
              ? (r.rating?.[1] ?? '')
              : '',
        at: at(h),
      })),
    ]);
  }
}

import { eq } from 'drizzle-orm';
import type { PostTopic } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { SeedContext } from '../../module';
import { shopsOwnedBy } from '../merchants';
import { neighborComments, neighborLikes, neighborPosts } from './tables';

const HOUR = 3_600_000;

/** A handful of believable posts by the demo residents (phones of DEMO_ACCOUNTS). */
const POSTS: {
  phone: string;
  topic: PostTopic;
  title?: string;
  text: string;
  hoursAgo: number;
  recommendsShopOf?: string;
  comments?: { phone: string; text: string; reply?: { phone: string; text: string } }[];
  likedBy?: string[];
}[] = [
  {
    phone: '13800000010',
    topic: 'lost_found',
    title: '捡到一串钥匙',
    text: '今早在2栋楼下花坛边捡到一串钥匙，挂着蓝色小熊挂件，已交到物业前台，失主请带证件去领。',
    hoursAgo: 2,
    comments: [{ phone: '13800000012', text: '好人一生平安！我帮忙转到楼栋群里了。' }],
    likedBy: ['13800000011', '13800000012', '13800000013'],
  },
  {
    phone: '13800000011',
    topic: 'recommend',
    title: '菜宅送的西红柿真不错',
    text: '上周在菜宅送买的沙瓤西红柿，放生鲜柜下班顺路取，很新鲜，比菜市场便宜。推荐给大家。',
    hoursAgo: 5,
    recommendsShopOf: '13800000002',
    comments: [
      {
        phone: '13800000010',
        text: '请问一般几点能到柜？',
        reply: { phone: '13800000011', text: '我选的晚上那一档，六点前就到了。' },
      },
    ],
    likedBy: ['13800000010', '13800000014'],
  },
  {
    phone: '13800000012',
    topic: 'pets',
    text: '有没有一起早上遛狗的邻居？我家柯基六点半在小区中庭，欢迎带毛孩子来玩。',
    hoursAgo: 20,
    likedBy: ['13800000013'],
  },
  {
    phone: '13800000013',
    topic: 'secondhand',
    title: '出一辆儿童自行车',
    text: '孩子长高了，16寸儿童自行车九成新，带辅助轮，50元自提，1栋。',
    hoursAgo: 30,
  },
  {
    phone: '13800000021',
    topic: 'help',
    text: '周六上午想请人帮忙给家里老人的手机装个健康码小程序，有懂的邻居吗？可以请喝茶。',
    hoursAgo: 48,
    comments: [{ phone: '13800000014', text: '我周六在家，可以帮忙，到时候联系。' }],
  },
  {
    phone: '13800000014',
    topic: 'sports',
    text: '每周三晚上七点小区篮球场打球，缺两个人，水平一般，重在参与。',
    hoursAgo: 72,
  },
];

/** Idempotent: a community that already has posts is left alone. */
export async function seedNeighbors(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const [any] = await tx
    .select({ id: neighborPosts.id })
    .from(neighborPosts)
    .where(eq(neighborPosts.communityId, ctx.communityId))
    .limit(1);
  if (any) return;
  const id = (phone: string) => ctx.ids.get(phone)!;
  for (const p of POSTS) {
    const at = new Date(ctx.now.getTime() - p.hoursAgo * HOUR);
    const shop = p.recommendsShopOf ? (await shopsOwnedBy(tx, id(p.recommendsShopOf)))[0] : undefined;
    const [post] = await tx
      .insert(neighborPosts)
      .values({
        communityId: ctx.communityId,
        authorId: id(p.phone),
        topic: p.topic,
        title: p.title ?? null,
        body: p.text,
        merchantId: shop?.id ?? null,
        likeCount: p.likedBy?.length ?? 0,
        createdAt: at,
      })
      .returning({ id: neighborPosts.id });
    for (const [i, c] of (p.comments ?? []).entries()) {
      const cAt = new Date(at.getTime() + (i + 1) * 600_000);
      const [top] = await tx
        .insert(neighborComments)
        .values({
          postId: post!.id,
          communityId: ctx.communityId,
          authorId: id(c.phone),
          body: c.text,
          createdAt: cAt,
        })
        .returning({ id: neighborComments.id });
      if (c.reply)
        await tx.insert(neighborComments).values({
          postId: post!.id,
          communityId: ctx.communityId,
          parentId: top!.id,
          authorId: id(c.reply.phone),
          body: c.reply.text,
          createdAt: new Date(cAt.getTime() + 300_000),
        });
    }
    if (p.likedBy?.length)
      await tx
        .insert(neighborLikes)
        .values(p.likedBy.map((phone) => ({ postId: post!.id, userId: id(phone), createdAt: at })));
  }
}

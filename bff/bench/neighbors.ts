/**
 * The neighbors feed and search at scale: BENCH_NEIGHBOR_POSTS posts (100,000 by default) in the
 * demo community. The feed's first page is compared with a bare Fastify route running the same
 * query (bench/neighbors-bare.ts); search is timed one caller at a time (what a resident waits
 * for), median and p99, for a 3+ character phrase (trigram index), a rare one, and 1-2 character
 * queries (no trigram: the feed index walked newest first). Server, baseline and load generator
 * each run in a process of their own.
 */
import type { TestApp } from '../test/helper';
import { CONNECTIONS, load, print, type Row } from './lib';
import { startBare, startServer } from './processes';
import type { BenchStack } from './stack';

const POSTS = Number(process.env.BENCH_NEIGHBOR_POSTS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_NEIGHBOR_SEARCHES ?? 200);
const POOL = 10;

/** Words the synthetic posts are made of; each post strings 12 of them, picked by a hash of its number. */
const WORDS = [
  '今天',
  '小区',
  '楼下',
  '花坛',
  '快递',
  '电梯',
  '停车',
  '物业',
  '邻居',
  '孩子',
  '周末',
  '早上',
  '晚上',
  '猫咪',
  '狗狗',
  '散步',
  '篮球',
  '跑步',
  '广场舞',
  '超市',
  '菜市场',
  '新鲜',
  '便宜',
  '推荐',
  '二手',
  '出售',
  '自提',
  '九成新',
  '婴儿车',
  '自行车',
  '钥匙',
  '丢了',
  '捡到',
  '帮忙',
  '请问',
  '谢谢',
  '大家',
  '注意',
  '安全',
  '下雨',
  '天气',
  '垃圾',
  '分类',
  '噪音',
  '装修',
  '水管',
  '漏水',
  '维修',
  '老人',
  '陪伴',
  '志愿者',
  '活动',
  '报名',
  '开心',
  '好吃',
  '面馆',
  '包子',
  '水果',
  '西红柿',
  '鸡蛋',
];
/** One post in this many carries the rare phrase. */
const RARE_EVERY = 5000;
const RARE = '紫色独角兽';

export async function benchNeighbors(t: TestApp, stack: BenchStack, only: (part: string) => boolean) {
  if (!only('neighbors')) return;
  const db = t.deps.sql;
  const [c] = await db<{ id: string }[]>`SELECT id FROM communities ORDER BY name LIMIT 1`;
  const communityId = c!.id;
  const viewer = await t.login('13800000010');
  const [{ community_id: home } = { community_id: '' }] = await db<{ community_id: string }[]>`
    SELECT c.community_id FROM memberships m JOIN households h ON h.id = m.household_id
    JOIN buildings b ON b.id = h.building_id JOIN compounds c ON c.id = b.compound_id
    WHERE m.user_id = ${viewer.userId} AND m.status = 'approved' LIMIT 1`;
  if (home !== communityId) throw new Error('the bench viewer is not a member of the bench community');

  const t0 = performance.now();
  const words = db.array(WORDS);
  const BATCH = 20_000;
  for (let from = 1; from <= POSTS; from += BATCH) {
    const to = Math.min(POSTS, from + BATCH - 1);
    await db`
      INSERT INTO neighbor_posts (id, community_id, author_id, topic, title, body, created_at)
      SELECT gen_random_uuid(), ${communityId}, ${viewer.userId},
        (enum_range(NULL::post_topic))[1 + i % 8],
        CASE WHEN i % 3 = 0 THEN (${words}::text[])[1 + (i * 31) % ${WORDS.length}] || '的事' END,
        (SELECT string_agg((${words}::text[])[1 + ((i * 7919 + k * 104729) % ${WORDS.length})], '，')
           FROM generate_series(1, 12) k)
          || CASE WHEN i % ${RARE_EVERY} = 0 THEN ${RARE} ELSE '' END || '。第' || i || '条',
        now() - make_interval(secs => i * 7)
      FROM generate_series(${from}::int, ${to}::int) i`;
  }
  await db`ANALYZE neighbor_posts`;
  const seeded = ((performance.now() - t0) / 1000).toFixed(1);

  const { config } = t.deps;
  // The production server, compiled, in its own process.
  const bff = await startServer(stack.env);
  const bare = await startBare('neighbors-bare.ts', {
    DATABASE_URL: config.DATABASE_URL!,
    POOL: String(POOL),
    COMMUNITY_ID: communityId,
  });
  const headers = { authorization: viewer.authorization };
  try {
    const feedUrl = `${bff.url}/v1/neighbors/posts?communityId=${communityId}`;
    const probe = await fetch(feedUrl, { headers });
    if (probe.status !== 200) throw new Error(`feed: ${probe.status} ${await probe.text()}`);
    const rows: Row[] = [
      { name: 'bare Fastify + the same query (baseline)', ...(await load(`${bare.url}/feed`)) },
      { name: 'GET /v1/neighbors/posts (first page of 20)', ...(await load(feedUrl, headers)) },
    ];
    print(
      `Neighbors feed, ${POSTS} posts in the community (seeded in ${seeded} s), ${CONNECTIONS} connections`,
      rows,
      'req/s',
    );

    console.log(
      `\nNeighbors search over ${POSTS} posts, one caller at a time, ${SEARCHES} searches each (ms)`,
    );
    console.log(
      `  ${'query'.padEnd(44)} ${'hits'.padStart(6)} ${'median'.padStart(8)} ${'p99'.padStart(8)}   bare median`,
    );
    for (const [q, note] of [
      ['广场舞', '3 chars, common (trigram index)'],
      [RARE, `5 chars, rare: 1 in ${RARE_EVERY} (trigram index)`],
      ['水管漏', '3 chars, never adjacent: no hit'],
      ['猫咪', '2 chars, common (no trigram: feed index)'],
      ['兽', '1 char, rare (no trigram: scans)'],
    ] as const) {
      const enc = encodeURIComponent(q);
      const ours = await timed(
        `${bff.url}/v1/neighbors/search?communityId=${communityId}&q=${enc}`,
        headers,
        SEARCHES,
      );
      const floor = await timed(`${bare.url}/feed?q=${enc}`, {}, Math.min(SEARCHES, 50));
      console.log(
        `  ${`${q} (${note})`.padEnd(44)} ${String(ours.hits).padStart(6)} ${ours.median.toFixed(1).padStart(8)} ${ours.p99.toFixed(1).padStart(8)}   ${floor.median.toFixed(1)}`,
      );
    }
  } finally {
    await Promise.all([bff.stop(), bare.stop()]);
  }
}

/** Median and p99 of `n` sequential GETs, after 5 untimed; `hits` is the first page's size. */
async function timed(url: string, headers: Record<string, string>, n: number) {
  let hits = 0;
  const times: number[] = [];
  for (let i = 0; i < n + 5; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { items: unknown[] };
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    if (i >= 5) times.push(performance.now() - t0);
    hits = body.items.length;
  }
  times.sort((a, b) => a - b);
  return {
    hits,
    median: times[times.length >> 1]!,
    p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!,
  };
}

import type { ChildProcess } from 'node:child_process';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { communities, merchantCommunities, merchants, products, userRoles, users } from '../../src/db/schema';
import { DEMO_COMMUNITY } from '../../src/demo';
import { signAccessToken } from '../../src/modules/auth/tokens';
import { exitOf, freePort, spawnNode, until } from './spawn';

/** A process of the cluster, started from the compiled build as production starts it. */
export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

export interface Api extends Proc {
  url: string;
}

const fromDist = (name: string, entry: string, env: Record<string, string>): Proc => {
  const { child, output } = spawnNode(['--enable-source-maps', `dist/${entry}`], env);
  return {
    name,
    child,
    output,
    async stop() {
      // Once: a second SIGTERM would cut the drain short.
      if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
      return exitOf(child);
    },
  };
};

const upOrDead = async (p: Proc, ready: () => Promise<boolean>) => {
  try {
    await until(async () => {
      if (p.child.exitCode !== null) throw new Error(`${p.name} exited ${p.child.exitCode}`);
      return ready();
      // A loaded 2-core machine running the rest of the suite beside us starts a process slowly.
    }, 120_000);
  } catch (err) {
    throw new Error(`${p.name} did not come up (${(err as Error).message}):\n${p.output().slice(-4000)}`);
  }
};

/** dist/server.js on a free port; resolves once /readyz answers 200. */
export async function startApi(name: string, env: Record<string, string>): Promise<Api> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = fromDist(name, 'server.js', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  await upOrDead(p, async () => {
    try {
      return (await fetch(`${url}/readyz`)).status === 200;
    } catch {
      return false;
    }
  });
  return { ...p, url };
}

/** dist/worker.js; resolves once it says it runs. */
export async function startWorker(name: string, env: Record<string, string>): Promise<Proc> {
  const p = fromDist(name, 'worker.js', env);
  await upOrDead(p, async () => p.output().includes('worker running'));
  return p;
}

export interface Resident {
  userId: string;
  authorization: string;
}

/** `n` residents as rows, each with an access token signed with the processes' key. */
export async function makeResidents(db: Db, n: number, jwtSecret: string, from = 0): Promise<Resident[]> {
  const rows = await db
    .insert(users)
    .values(
      Array.from({ length: n }, (_, i) => ({
        phone: `1370${String(from + i).padStart(7, '0')}`,
        name: `居民${from + i}`,
      })),
    )
    .returning({ id: users.id });
  return Promise.all(
    rows.map(async (r) => ({
      userId: r.id,
      authorization: `Bearer ${await signAccessToken(r.id, jwtSecret, 3600)}`,
    })),
  );
}

const ALWAYS_OPEN = {
  weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '00:00', close: '24:00' })),
  closedDates: [],
};

/** An open shop of the test's own in the demo community, with one product per stock given. */
export async function makeShop(db: Db, stocks: number[]) {
  const [owner] = await db
    .insert(users)
    .values({ phone: `1360${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, name: '店主' })
    .returning({ id: users.id });
  await db.insert(userRoles).values({ userId: owner!.id, role: 'merchant' });
  const [shop] = await db
    .insert(merchants)
    .values({
      ownerId: owner!.id,
      name: `集群测试小店${owner!.id.slice(-4)}`,
      category: 'produce',
      contactPhone: '13912345678',
      address: '黌门街 1 号',
      lat: 30.6575,
      lng: 104.0665,
      hours: ALWAYS_OPEN,
      minOrderFen: 0,
      status: 'open',
      homeRadiusM: 3000,
      homeFeeFen: 300,
      offersShopPickup: true,
    })
    .returning({ id: merchants.id });
  const [community] = await db
    .select({ id: communities.id })
    .from(communities)
    .where(eq(communities.name, DEMO_COMMUNITY));
  await db.insert(merchantCommunities).values({ merchantId: shop!.id, communityId: community!.id });
  const made = await db
    .insert(products)
    .values(
      stocks.map((stock, i) => ({
        merchantId: shop!.id,
        name: `集群青菜${i + 1}`,
        category: '蔬菜',
        unit: '斤',
        priceFen: 500,
        stock,
        lowStockThreshold: 0,
        sortOrder: i,
      })),
    )
    .returning({ id: products.id });
  return { id: shop!.id, communityId: community!.id, productIds: made.map((p) => p.id) };
}

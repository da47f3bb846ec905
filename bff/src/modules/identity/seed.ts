import type { DbOrTx } from '../../db/client';
import { DEMO_ACCOUNTS } from '../../demo';
import type { SeedContext } from '../../module';
import { userRoles, users } from './tables';

/** The demo accounts and their roles (names and birth dates kept up to date on a re-seed). */
export async function seedIdentity(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    const [u] = await tx
      .insert(users)
      .values({ phone: a.phone, name: a.name, birthDate: a.birthDate ?? null })
      .onConflictDoUpdate({ target: users.phone, set: { name: a.name, birthDate: a.birthDate ?? null } })
      .returning({ id: users.id });
    ctx.ids.set(a.phone, u!.id);
    for (const role of a.roles)
      await tx.insert(userRoles).values({ userId: u!.id, role }).onConflictDoNothing();
  }
}

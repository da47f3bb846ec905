import type { DbOrTx } from '../../db/client';
import type { SeedContext } from '../../module';

export async function seedCare(_tx: DbOrTx, _ctx: SeedContext): Promise<void> {}

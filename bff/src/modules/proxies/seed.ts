import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { SeedContext } from '../../module';
import { proxyLinks } from './tables';

/** 刘晓明 acts for his mother 刘奶奶, with the consent staff recorded at a home visit. */
export async function seedProxies(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const elderId = ctx.ids.get('13800000020')!;
  const proxyId = ctx.ids.get('13800000021')!;
  const [link] = await tx
    .select({ id: proxyLinks.id })
    .from(proxyLinks)
    .where(and(eq(proxyLinks.elderId, elderId), eq(proxyLinks.proxyId, proxyId)));
  if (link) return;
  await tx.insert(proxyLinks).values({
    elderId,
    elderPhone: '13800000020',
    proxyId,
    relationship: '儿子',
    consentStatus: 'granted',
    consentMethod: 'in_person',
    consentAt: ctx.now,
    consentRecordedBy: ctx.ids.get('13800000001')!,
    consentNote: '社区工作人员上门确认',
  });
}

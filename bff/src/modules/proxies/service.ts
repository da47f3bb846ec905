import { and, desc, eq, inArray, or, type SQL, type SQLWrapper } from 'drizzle-orm';
import { maskPhone, PAGES, type ProxyLink, proxyLinkFlow, wechatPage } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { compiledSelect } from '../../db/compiled';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { conflict, describeConstraint } from '../../http/errors';
import { actionsOnBehalfOf, audit } from '../audit';
import { peopleByIds, userById, userByPhone } from '../identity';
import { residentsRunBy } from '../memberships';
import { notify } from '../notifications';
import { proxyLinkConsent, proxyLinkRecordConsent, proxyLinkRevoke } from './policies';
import { proxyLinks } from './tables';

describeConstraint(
  'proxy_links_live_unique',
  'PROXY_LINK_EXISTS',
  'You are already linked to this elder, or have asked to be',
);
describeConstraint('proxy_links_not_self', 'PROXY_LINK_SELF', 'You cannot be your own family proxy');

/**
 * Link views as `viewerId` may see them. The family member who asked learns who the elder is only
 * once consent was given: until then the same answer comes back whether or not the number belongs
 * to a registered elder, so asking is no way to find out.
 */
async function linkViews(db: DbOrTx, where: SQL | undefined, viewerId: string): Promise<ProxyLink[]> {
  const links = await db.select().from(proxyLinks).where(where).orderBy(desc(proxyLinks.createdAt));
  const people = await peopleByIds(
    db,
    links.flatMap((l) => (l.elderId ? [l.elderId, l.proxyId] : [l.proxyId])),
  );
  const rows = links.map((l) => ({
    l,
    elderName: l.elderId ? (people.get(l.elderId)?.name ?? '') : null,
    proxyName: people.get(l.proxyId)?.name ?? '',
    proxyPhone: maskPhone(people.get(l.proxyId)?.phone),
  }));
  return rows.map(({ l, elderName, proxyName, proxyPhone }) => ({
    id: l.id,
    elder:
      l.elderId && (l.proxyId !== viewerId || l.consentAt !== null)
        ? { id: l.elderId, name: elderName ?? '' }
        : null,
    elderPhone: maskPhone(l.elderPhone) ?? '',
    proxy: { id: l.proxyId, name: proxyName, phoneMasked: proxyPhone },
    relationship: l.relationship,
    consentStatus: l.consentStatus,
    consentMethod: l.consentMethod,
    consentAt: l.consentAt?.toISOString() ?? null,
    createdAt: l.createdAt.toISOString(),
  }));
}

const one = async (db: DbOrTx, id: string, viewerId: string) =>
  (await linkViews(db, eq(proxyLinks.id, id), viewerId))[0]!;

/** Links where I am the elder or the family member. */
export async function myLinks(db: Db, actor: Actor) {
  return {
    items: await linkViews(
      db,
      or(eq(proxyLinks.elderId, actor.actorId), eq(proxyLinks.proxyId, actor.actorId)),
      actor.actorId,
    ),
  };
}

/**
 * A family member asks; the elder (or staff, for consent given offline) must agree. The request is
 * recorded and answered the same way whether or not the number is a registered elder's (a
 * number nobody has, or a resident who is not an elder, gets a request nobody will see), so the
 * route cannot be used to find out who is an elder; it is rate-limited per person as well.
 */
export async function requestLink(
  db: Db,
  actor: Actor,
  elderPhone: string,
  relationship: string,
): Promise<ProxyLink> {
  return db.transaction(async (tx) => {
    const me = await userById(tx, actor.actorId);
    if (me?.phone === elderPhone) throw conflict('PROXY_LINK_SELF', 'You cannot be your own family proxy');
    const target = await userByPhone(tx, elderPhone);
    const elderId = target?.birthDate ? target.id : null;
    const [row] = await tx
      .insert(proxyLinks)
      .values({ elderId, elderPhone, proxyId: actor.actorId, relationship })
      .returning();
    await audit(tx, actor, 'proxy_link.requested', { type: 'proxy_link', id: row!.id });
    const view = await one(tx, row!.id, actor.actorId);
    if (elderId)
      await notify(tx, {
        userId: elderId,
        kind: 'proxy_link.requested',
        title: '家属代办申请',
        body: `${view.proxy.name || '一位家属'}（${relationship}${view.proxy.phoneMasked ? `，手机 ${view.proxy.phoneMasked}` : ''}）申请为您代办社区服务，请确认`,
        link: PAGES.family,
        dedupeKey: `proxy_link.requested:${row!.id}`,
      });
    return view;
  });
}

type Deps = Pick<AppDeps, 'db' | 'clock'>;

async function grant(
  { db, clock }: Deps,
  actor: Actor,
  id: string,
  method: 'in_app' | 'in_person' | 'paper',
  note?: string,
): Promise<ProxyLink> {
  return db.transaction(async (tx) => {
    const [row] = await advance(
      tx,
      proxyLinks,
      proxyLinks.consentStatus,
      proxyLinkFlow,
      'consent',
      eq(proxyLinks.id, id),
      {
        consentMethod: method,
        consentAt: clock.now(),
        consentRecordedBy: actor.actorId,
        consentNote: note ?? null,
      },
    );
    if (!row) throw conflict('PROXY_LINK_NOT_PENDING', 'This link is not waiting for consent');
    await audit(tx, actor, 'proxy_link.consented', { type: 'proxy_link', id }, { method });
    await notify(tx, {
      userId: row.proxyId,
      kind: 'proxy_link.granted',
      title: '家属代办已确认',
      body: '长辈已同意您为其代办社区服务',
      link: PAGES.family,
      dedupeKey: `proxy_link.granted:${id}`,
      wechat: {
        template: 'reviewResult',
        page: wechatPage(PAGES.family),
        data: { thing1: '家属代办', phrase2: '已同意', time3: row.consentAt!.toISOString() },
      },
    });
    return one(tx, id, actor.actorId);
  });
}

export async function consentInApp(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, proxyLinkConsent, id);
  return grant(deps, actor, id, 'in_app');
}

export async function recordConsent(
  deps: Deps,
  actor: Actor,
  id: string,
  method: 'in_person' | 'paper',
  note?: string,
) {
  await requireAccess(deps.db, actor, proxyLinkRecordConsent, id);
  return grant(deps, actor, id, method, note);
}

export async function revokeLink({ db, clock }: Deps, actor: Actor, id: string): Promise<ProxyLink> {
  await requireAccess(db, actor, proxyLinkRevoke, id);
  return db.transaction(async (tx) => {
    const [row] = await advance(
      tx,
      proxyLinks,
      proxyLinks.consentStatus,
      proxyLinkFlow,
      'revoke',
      eq(proxyLinks.id, id),
      {
        revokedAt: clock.now(),
      },
    );
    if (!row) throw conflict('PROXY_LINK_REVOKED', 'This link has already ended');
    await audit(tx, actor, 'proxy_link.revoked', { type: 'proxy_link', id });
    return one(tx, id, actor.actorId);
  });
}

/** Links of elders living in the communities this staff member runs, e.g. pending ones to confirm. */
export async function staffLinks(db: Db, actor: Actor, status: 'pending' | 'granted' | 'revoked') {
  const elderIds = residentsRunBy(db, actor.actorId);
  return {
    items: await linkViews(
      db,
      and(eq(proxyLinks.consentStatus, status), inArray(proxyLinks.elderId, elderIds)),
      actor.actorId,
    ),
  };
}

/** Everything family members did for this person, newest first: the elder can always check. */
export async function auditOnBehalfOf(db: Db, actor: Actor) {
  const actions = await actionsOnBehalfOf(db, actor.userId);
  const people = await peopleByIds(
    db,
    actions.flatMap((a) => (a.actorId ? [a.actorId] : [])),
  );
  const rows = actions.map((a) => ({ a, actorName: (a.actorId && people.get(a.actorId)?.name) || null }));
  // The relationship as the latest link between the two says it (a link may have been renewed).
  const links = await db
    .select({ proxyId: proxyLinks.proxyId, relationship: proxyLinks.relationship })
    .from(proxyLinks)
    .where(eq(proxyLinks.elderId, actor.userId))
    .orderBy(proxyLinks.createdAt);
  const relationshipOf = new Map(links.map((l) => [l.proxyId, l.relationship]));
  return {
    items: rows.map(({ a, actorName }) => ({
      id: a.id,
      actorId: a.actorId,
      actorName,
      relationship: (a.actorId && relationshipOf.get(a.actorId)) ?? null,
      onBehalfOf: a.onBehalfOf,
      action: a.action,
      subjectType: a.subjectType,
      subjectId: a.subjectId,
      at: a.at.toISOString(),
    })),
  };
}

/**
 * Elders this person is family proxy for, for their own "me" view: only consented links, since a
 * request still waiting must not tell who the number belongs to.
 */
// Part of /v1/me, on every app start: built once.
const grantedLinks = compiledSelect<{ proxyId: string }, ReturnType<typeof selectGranted>>((db, p) =>
  selectGranted(db, p('proxyId')),
);
const selectGranted = (db: DbOrTx, proxyId: SQLWrapper) =>
  db
    .select()
    .from(proxyLinks)
    .where(and(eq(proxyLinks.proxyId, proxyId), eq(proxyLinks.consentStatus, 'granted')));

export async function eldersOf(db: DbOrTx, proxyId: string) {
  const links = await grantedLinks(db, { proxyId });
  const people = await peopleByIds(
    db,
    links.map((l) => l.elderId!),
  );
  return links.map((l) => ({
    linkId: l.id,
    elderId: l.elderId!,
    name: people.get(l.elderId!)?.name ?? '',
    relationship: l.relationship,
    consentStatus: l.consentStatus,
  }));
}

/** The family members an elder has consented to: they hear about the elder's care as the elder does. */
export async function consentedProxiesOf(db: DbOrTx, elderId: string): Promise<string[]> {
  const links = await db
    .select({ proxyId: proxyLinks.proxyId })
    .from(proxyLinks)
    .where(and(eq(proxyLinks.elderId, elderId), eq(proxyLinks.consentStatus, 'granted')));
  return [...new Set(links.map((l) => l.proxyId))];
}

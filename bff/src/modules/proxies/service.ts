import { and, desc, eq, inArray, isNotNull, ne, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { PAGES, type ProxyLink, proxyLinkFlow, sourcesOf, wechatPage } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import { residentsRunBy } from '../../access/staff-scope';
import type { Db, DbOrTx } from '../../db/client';
import { auditLog, proxyLinks, users } from '../../db/schema';
import { badRequest, conflict, describeConstraint } from '../../http/errors';
import { audit } from '../audit/service';
import { notify } from '../notifications/service';

describeConstraint(
  'proxy_links_live_unique',
  'PROXY_LINK_EXISTS',
  'You are already linked to this elder, or have asked to be',
);
describeConstraint('proxy_links_not_self', 'PROXY_LINK_SELF', 'You cannot be your own family proxy');

const elder = alias(users, 'elder');
const proxy = alias(users, 'proxy');

async function linkViews(db: DbOrTx, where: SQL | undefined): Promise<ProxyLink[]> {
  const rows = await db
    .select({ l: proxyLinks, elderName: elder.name, proxyName: proxy.name })
    .from(proxyLinks)
    .innerJoin(elder, eq(elder.id, proxyLinks.elderId))
    .innerJoin(proxy, eq(proxy.id, proxyLinks.proxyId))
    .where(where)
    .orderBy(desc(proxyLinks.createdAt));
  return rows.map(({ l, elderName, proxyName }) => ({
    id: l.id,
    elder: { id: l.elderId, name: elderName },
    proxy: { id: l.proxyId, name: proxyName },
    relationship: l.relationship,
    consentStatus: l.consentStatus,
    consentMethod: l.consentMethod,
    consentAt: l.consentAt?.toISOString() ?? null,
    createdAt: l.createdAt.toISOString(),
  }));
}

const one = async (db: DbOrTx, id: string) => (await linkViews(db, eq(proxyLinks.id, id)))[0]!;

/** Links where I am the elder or the family member. */
export async function myLinks(db: Db, actor: Actor) {
  return {
    items: await linkViews(
      db,
      or(eq(proxyLinks.elderId, actor.actorId), eq(proxyLinks.proxyId, actor.actorId)),
    ),
  };
}

/** A family member asks; the elder (or staff, for consent given offline) must agree. */
export async function requestLink(
  db: Db,
  actor: Actor,
  elderPhone: string,
  relationship: string,
): Promise<ProxyLink> {
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: users.id, birthDate: users.birthDate })
      .from(users)
      .where(eq(users.phone, elderPhone));
    if (!target?.birthDate)
      throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
        { path: 'body.elderPhone', message: 'no elder is registered with this phone number' },
      ]);
    const [row] = await tx
      .insert(proxyLinks)
      .values({ elderId: target.id, proxyId: actor.actorId, relationship })
      .returning();
    await audit(tx, actor, 'proxy_link.requested', { type: 'proxy_link', id: row!.id });
    const view = await one(tx, row!.id);
    await notify(tx, {
      userId: target.id,
      kind: 'proxy_link.requested',
      title: '家属代办申请',
      body: `${view.proxy.name || '一位家属'}（${relationship}）申请为您代办社区服务，请确认`,
      link: PAGES.family,
      dedupeKey: `proxy_link.requested:${row!.id}`,
    });
    return view;
  });
}

async function grant(
  db: Db,
  actor: Actor,
  id: string,
  method: 'in_app' | 'in_person' | 'paper',
  note?: string,
): Promise<ProxyLink> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(proxyLinks)
      .set({
        consentStatus: proxyLinkFlow.transitions.consent.to,
        consentMethod: method,
        consentAt: new Date(),
        consentRecordedBy: actor.actorId,
        consentNote: note ?? null,
      })
      .where(
        and(eq(proxyLinks.id, id), inArray(proxyLinks.consentStatus, sourcesOf(proxyLinkFlow, 'consent'))),
      )
      .returning();
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
    return one(tx, id);
  });
}

export async function consentInApp(db: Db, actor: Actor, id: string) {
  await requireAccess(db, actor, 'proxyLink.consent', id);
  return grant(db, actor, id, 'in_app');
}

export async function recordConsent(
  db: Db,
  actor: Actor,
  id: string,
  method: 'in_person' | 'paper',
  note?: string,
) {
  await requireAccess(db, actor, 'proxyLink.recordConsent', id);
  return grant(db, actor, id, method, note);
}

export async function revokeLink(db: Db, actor: Actor, id: string): Promise<ProxyLink> {
  await requireAccess(db, actor, 'proxyLink.revoke', id);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(proxyLinks)
      .set({ consentStatus: proxyLinkFlow.transitions.revoke.to, revokedAt: new Date() })
      .where(
        and(eq(proxyLinks.id, id), inArray(proxyLinks.consentStatus, sourcesOf(proxyLinkFlow, 'revoke'))),
      )
      .returning();
    if (!row) throw conflict('PROXY_LINK_REVOKED', 'This link has already ended');
    await audit(tx, actor, 'proxy_link.revoked', { type: 'proxy_link', id });
    return one(tx, id);
  });
}

/** Links of elders living in the communities this staff member runs, e.g. pending ones to confirm. */
export async function staffLinks(db: Db, actor: Actor, status: 'pending' | 'granted' | 'revoked') {
  const elderIds = residentsRunBy(db, actor.actorId);
  return {
    items: await linkViews(
      db,
      and(eq(proxyLinks.consentStatus, status), inArray(proxyLinks.elderId, elderIds)),
    ),
  };
}

/** Everything family members did for this person, newest first: the elder can always check. */
export async function auditOnBehalfOf(db: Db, actor: Actor) {
  const rows = await db
    .select({ a: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.onBehalfOf, actor.userId), isNotNull(auditLog.actorId)))
    .orderBy(desc(auditLog.at))
    .limit(100);
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

/** Elders this person is (or asked to be) family proxy for, for their own "me" view. */
export async function eldersOf(db: DbOrTx, proxyId: string) {
  const rows = await db
    .select({ l: proxyLinks, name: users.name })
    .from(proxyLinks)
    .innerJoin(users, eq(users.id, proxyLinks.elderId))
    .where(and(eq(proxyLinks.proxyId, proxyId), ne(proxyLinks.consentStatus, 'revoked')));
  return rows.map(({ l, name }) => ({
    linkId: l.id,
    elderId: l.elderId,
    name,
    relationship: l.relationship,
    consentStatus: l.consentStatus,
  }));
}

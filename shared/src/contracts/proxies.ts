import { z } from 'zod';
import { proxyLinkFlow } from '../state/flows';
import { Phone } from './common';

export const ConsentStatus = z.enum(proxyLinkFlow.states);
export const ConsentMethod = z.enum(['in_app', 'in_person', 'paper']);

/** A family member asks to act for an elder; nothing happens until the elder consents. */
export const CreateProxyLinkBody = z.object({
  elderPhone: Phone,
  relationship: z.string().trim().min(1).max(20),
});

/** Staff record consent the elder gave offline (signed form, home visit). */
export const RecordConsentBody = z.object({
  method: z.enum(['in_person', 'paper']),
  note: z.string().trim().max(200).optional(),
});

export const ProxyLink = z.object({
  id: z.uuid(),
  /**
   * Null to the family member who asked until consent was given: a request answers the same
   * whether or not the number belongs to a registered elder.
   */
  elder: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** The number asked for, masked (138****0020). */
  elderPhone: z.string(),
  /** The family member; their masked number lets an elder tell who is asking (names may be unset). */
  proxy: z.object({ id: z.uuid(), name: z.string(), phoneMasked: z.string().nullable() }),
  relationship: z.string(),
  consentStatus: ConsentStatus,
  consentMethod: ConsentMethod.nullable(),
  consentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ProxyLink = z.infer<typeof ProxyLink>;
export const ProxyLinkList = z.object({ items: z.array(ProxyLink) });
export const StaffProxyLinkQuery = z.object({ status: ConsentStatus.default('pending') });

export const AuditEntry = z.object({
  id: z.uuid(),
  actorId: z.uuid().nullable(),
  /** Who did it, as the elder knows them: name and relationship from the proxy link. */
  actorName: z.string().nullable(),
  relationship: z.string().nullable(),
  onBehalfOf: z.uuid().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string().nullable(),
  at: z.string(),
});
export const AuditList = z.object({ items: z.array(AuditEntry) });

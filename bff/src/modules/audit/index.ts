import type { LinliModule } from '../../module';
import { audit } from './service';

/** The append-only audit log: every module writes it through audit(), and reads it through here. */
export const auditModule: LinliModule = {
  name: 'audit',
  auth: {
    recordProxyRead: (db, actor, what, status) =>
      audit(db, actor, what, { type: 'request', id: null }, { status }),
  },
};

export { type AuditRow, actionsOnBehalfOf, audit, auditEntries, auditEntry } from './service';

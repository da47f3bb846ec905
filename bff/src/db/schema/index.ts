/**
 * Every table, for drizzle-kit and the migrator. Each module keeps its own tables in its
 * `tables.ts`; code reaches another module's data only through that module's index.ts.
 */
export * from '../../modules/audit/tables';
export * from '../../modules/auth/tables';
export * from '../../modules/care/tables';
export * from '../../modules/community/tables';
export * from '../../modules/identity/tables';
export * from '../../modules/lockers/tables';
export * from '../../modules/memberships/tables';
export * from '../../modules/merchants/tables';
export * from '../../modules/neighbors/tables';
export * from '../../modules/notifications/tables';
export * from '../../modules/orders/tables';
export * from '../../modules/payments/tables';
export * from '../../modules/places/tables';
export * from '../../modules/products/tables';
export * from '../../modules/proxies/tables';
export * from '../../modules/refunds/tables';
export * from '../../modules/requests/tables';
export * from '../../modules/uploads/tables';
export * from '../../modules/volunteers/tables';
export * from './jobs';

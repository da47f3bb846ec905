import type { LinliModule } from '../../module';

export const auditModule: LinliModule = { name: 'audit' };

export { audit } from './service';

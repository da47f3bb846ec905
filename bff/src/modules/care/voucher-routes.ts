import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { careAttendance, careExportCsv, careStatement, voucherAccount } from './statements';

export async function voucherRoutes(app: FastifyInstance) {
  route(app, 'careVouchers', {
    handler: ({ actor }) => voucherAccount(app.deps, actor.userId),
  });
  route(app, 'staffCareStatement', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => careStatement(app.deps, actor, query.month),
  });
  route(app, 'staffCareExport', {
    config: { roles: ['staff'] },
    handler: async ({ actor, query, reply }) => {
      const csv = await careExportCsv(app.deps, actor, query.month);
      // The schema says string; the body goes out as the file itself, not as a JSON string.
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="care-${query.month}.csv"`)
        .serializer((payload: unknown) => payload as string);
      return csv;
    },
  });
  route(app, 'staffCareAttendance', {
    config: { roles: ['staff'] },
    handler: ({ actor }) => careAttendance(app.deps, actor),
  });
}

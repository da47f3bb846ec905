import type { FastifyInstance } from 'fastify';

export async function voucherRoutes(_app: FastifyInstance) {}

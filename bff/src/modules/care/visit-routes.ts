import type { FastifyInstance } from 'fastify';

export async function visitRoutes(_app: FastifyInstance) {}

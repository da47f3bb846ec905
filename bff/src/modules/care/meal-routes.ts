import type { FastifyInstance } from 'fastify';

export async function mealRoutes(_app: FastifyInstance) {}

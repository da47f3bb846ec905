import { z } from 'zod';
import { Phone } from './common';

export const WechatLoginBody = z.object({ code: z.string().min(1).max(128) });
export const DevLoginBody = z.object({ phone: Phone });
export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(512) });

export const TokenPair = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  userId: z.uuid(),
});
export type TokenPair = z.infer<typeof TokenPair>;

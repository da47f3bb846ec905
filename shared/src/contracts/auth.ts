import { z } from 'zod';
import { Phone } from './common';

/** Trimmed: a blank code was sent on to WeChat, whose "missing code" then came back as our 502. */
export const WechatLoginBody = z.object({ code: z.string().trim().min(1).max(128) });
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

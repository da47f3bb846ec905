import { z } from 'zod';
import { CursorQuery, page, QueryBool } from './common';

export const Notification = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** In-app page to open, one of PAGES in shared/src/api/pages.ts */
  link: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;

/** `unread=true`: only unread items; `unread=false`: only read ones; absent: all. */
export const NotificationQuery = CursorQuery.extend({ unread: QueryBool.optional() });
export const NotificationPage = page(Notification).extend({ unread: z.number().int() });
export type NotificationPage = z.infer<typeof NotificationPage>;

export const MarkReadBody = z.object({
  ids: z.array(z.uuid()).min(1).max(100).optional(),
  all: z.boolean().optional(),
});

/** What wx.requestSubscribeMessage answered: templateId -> 'accept' | 'reject' | 'ban' | 'filter'. */
export const SubscriptionGrantBody = z.object({
  results: z
    .record(z.string().min(1).max(64), z.enum(['accept', 'reject', 'ban', 'filter']))
    .refine((r) => Object.keys(r).length > 0 && Object.keys(r).length <= 20, 'between 1 and 20 templates'),
});
export const SubscriptionQuota = z.object({
  items: z.array(z.object({ templateId: z.string(), remaining: z.number().int() })),
});

/** Subscribe-message template ids by purpose, as configured in the WeChat console. */
export const SubscribeTemplates = z.object({ reviewResult: z.string(), orderStatus: z.string() });
export type SubscribeTemplates = z.infer<typeof SubscribeTemplates>;

import { EMERGENCY_STATUS_LABELS, type EmergencyCall, formatDisplayTime } from 'shared';

/**
 * How a 一键求助 call reads, for everyone who watches one: the elder's side, volunteers, staff.
 */

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** A call still going on: the page polls and offers what the status allows. */
export const isLive = (c: Pick<EmergencyCall, 'status'>) =>
  c.status === 'raised' || c.status === 'answered' || c.status === 'acknowledged';

export const emergencyStatusText = (c: Pick<EmergencyCall, 'status' | 'testMode'>) =>
  `${c.testMode ? '【演练】' : ''}${EMERGENCY_STATUS_LABELS[c.status]}`;

/** The BFF's one line on the call; its 【演练】 is dropped where the status beside it already says so. */
export const headlineText = (c: Pick<EmergencyCall, 'headline' | 'testMode'>) =>
  c.testMode ? c.headline.replace(/^【演练】\s*/, '') : c.headline;

export function emergencyTone(status: EmergencyCall['status']): string {
  if (status === 'raised') return 'rejected';
  if (status === 'answered' || status === 'acknowledged') return 'active';
  if (status === 'resolved') return 'approved';
  return 'muted';
}

const EVENT_KINDS: Record<string, string> = {
  raised: '发起求助',
  notified: '已通知',
  told: '已通知',
  notify: '已通知',
  escalated: '扩大通知范围',
  round: '扩大通知范围',
  answered: '已响应',
  acknowledged: '社区已确认处置',
  resolved: '已解除',
  cancelled: '已取消',
};
const CHANNELS: Record<string, string> = {
  inbox: '站内消息',
  wechat: '微信通知',
  banner: '应用内提醒',
  sms: '短信',
  phone: '电话',
};

/** One timeline line: 「赵志愿 · 已通知（微信通知）」, then the BFF's own words when they are Chinese. */
export function eventText(ev: EmergencyCall['timeline'][number]): string {
  const kind = hasChinese(ev.kind) ? ev.kind : (EVENT_KINDS[ev.kind] ?? '进展');
  const channel = ev.channel ? (CHANNELS[ev.channel] ?? (hasChinese(ev.channel) ? ev.channel : '')) : '';
  const head = `${ev.who ? `${ev.who} · ` : ''}${kind}${channel ? `（${channel}）` : ''}`;
  const detail = ev.detail && hasChinese(ev.detail) ? `：${ev.detail}` : '';
  return `${head}${detail}`;
}

/** HH:MM of an instant, in Shanghai. */
export const eventTime = (iso: string) => formatDisplayTime(iso).slice(11);

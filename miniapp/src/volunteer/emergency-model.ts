import { EMERGENCY_STATUS_LABELS, type EmergencyCall } from 'shared';
import { localTime } from '../common/care-console';
import { whenText } from './labels';

/** What the volunteer who was told of an emergency can do about it now. */
export type EmergencyStage =
  /** Nobody has answered: 我去帮忙. */
  | 'open'
  /** This volunteer answered: the address and phone are theirs to use. */
  | 'mine'
  /** Another volunteer answered first. */
  | 'taken'
  /** Staff have it, or it is over. */
  | 'closed';

export function emergencyStage(
  c: Pick<EmergencyCall, 'status' | 'can' | 'address' | 'phone'>,
  answeredByMe: boolean,
): EmergencyStage {
  if (c.can.answer) return 'open';
  if (c.status === 'resolved' || c.status === 'cancelled') return 'closed';
  // The BFF gives the address to the volunteer who answered and to nobody else of them.
  if (answeredByMe || c.address !== null) return 'mine';
  if (c.status === 'answered' || c.status === 'acknowledged') return 'taken';
  return 'closed';
}

/** The line at the top of the page for each stage. */
export function stageText(c: Pick<EmergencyCall, 'status' | 'responderName'>, stage: EmergencyStage): string {
  switch (stage) {
    case 'open':
      return '长者按下了紧急求助，附近还没有人响应';
    case 'mine':
      return '您已响应，请尽快赶到长者家中；社区工作人员也已收到通知';
    case 'taken':
      return `已有志愿者响应${c.responderName ? `（${c.responderName}）` : ''}，感谢您的关注`;
    case 'closed':
      return c.status === 'cancelled' ? '求助已取消' : `求助${EMERGENCY_STATUS_LABELS[c.status]}`;
  }
}

/** Calls worth a banner: still live (nobody has closed them). */
export const liveEmergencies = <T extends Pick<EmergencyCall, 'status'>>(items: readonly T[]): T[] =>
  items.filter((c) => c.status === 'raised' || c.status === 'answered' || c.status === 'acknowledged');

/** The banner's line for one call. */
export function bannerText(
  c: Pick<EmergencyCall, 'status' | 'elderName' | 'createdAt' | 'can' | 'testMode'>,
  now: Date = new Date(),
): string {
  const test = c.testMode ? '【演练】' : '';
  const when = localTime(c.createdAt);
  if (c.can.answer) return `${test}${c.elderName} ${when} 发出紧急求助，点此查看并响应`;
  return `${test}${c.elderName}的紧急求助：${EMERGENCY_STATUS_LABELS[c.status]}（${whenText(c.createdAt, now)}）`;
}

const KIND_TEXT: Record<string, string> = {
  raised: '发出紧急求助',
  notified: '已通知',
  told: '已通知',
  round: '扩大通知范围',
  answered: '志愿者响应',
  acknowledged: '社区已处置',
  resolved: '已解除',
  cancelled: '已取消',
};
const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** The timeline's lines, oldest first: time and what happened (the BFF's Chinese detail when it has one). */
export function timelineLines(
  events: readonly { kind: string; who: string | null; detail: string; at: string }[],
  now: Date = new Date(),
): { key: string; when: string; text: string }[] {
  return [...events]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((e, i) => ({
      key: `${i}-${e.at}`,
      when: whenText(e.at, now),
      // A volunteer sees only the 'told' events that told them.
      text:
        e.kind === 'told'
          ? '已通知您前往帮忙'
          : hasChinese(e.detail)
            ? e.detail
            : `${e.who ? `${e.who} ` : ''}${KIND_TEXT[e.kind] ?? '状态更新'}`,
    }));
}

/** What a family member did, in words an elder reads in 代办记录. */
const ACTION_TEXT: Record<string, string> = {
  'read /v1/me': '查看了首页信息',
  'read /v1/home': '查看了首页信息',
  'read /v1/notifications': '查看了消息',
  'read /v1/memberships': '查看了住户认证',
  'read /v1/proxy-links/audit': '查看了代办记录',
  'notifications.read': '将消息标为已读',
  'membership.requested': '提交了住户认证',
  'membership.approved': '住户认证已通过',
  'membership.rejected': '住户认证被驳回',
  'proxy_link.requested': '申请成为代办家属',
  'proxy_link.consented': '确认了代办授权',
  'proxy_link.revoked': '解除了代办关系',
};

/** Unknown codes are shown as they are: an odd line beats a hidden action in an audit trail. */
export function auditActionLabel(action: string): string {
  return ACTION_TEXT[action] ?? action;
}

/** 刘晓明（儿子）; a family member who set no name yet is still shown by relationship. */
export function familyMemberLabel(name: string | null, relationship: string | null): string {
  const who = name || '家属';
  return relationship ? `${who}（${relationship}）` : who;
}

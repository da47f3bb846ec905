export interface ContactDraft {
  name: string;
  phone: string;
  relation: string;
}

export const MAX_CONTACTS = 5;

/** The first thing wrong with the contacts, in words; null when they can be saved. */
export function contactProblem(contacts: readonly ContactDraft[]): string | null {
  for (const [i, c] of contacts.entries()) {
    const n = `第${i + 1}位紧急联系人`;
    if (!c.name.trim()) return `请填写${n}的姓名`;
    if (!/^1\d{10}$/.test(c.phone.trim())) return `${n}的手机号应为11位数字`;
    if (!c.relation.trim()) return `请填写${n}与长者的关系`;
  }
  return null;
}

/** Contacts as the BFF takes them: trimmed. */
export const cleanContacts = (contacts: readonly ContactDraft[]) =>
  contacts.map((c) => ({ name: c.name.trim(), phone: c.phone.trim(), relation: c.relation.trim() }));

import { defineMachine } from './machine';

/**
 * A post or a comment. Published is what neighbours see; hidden is automatic (enough distinct
 * reports) and waits for staff; removed is staff's decision and counts against the author's
 * trust; deleted is the author's own soft delete. Hidden and removed stay visible to the author,
 * with the reason.
 */
export const neighborContentFlow = defineMachine({
  name: 'neighbor_content',
  states: ['published', 'hidden', 'removed', 'deleted'],
  transitions: {
    hide: { from: ['published'], to: 'hidden' },
    restore: { from: ['hidden'], to: 'published' },
    remove: { from: ['published', 'hidden'], to: 'removed' },
    delete: { from: ['published', 'hidden'], to: 'deleted' },
  },
});

/**
 * An entry of staff's review queue: opened by reports crossing the threshold, by WeChat's check
 * asking for a human look, or by the check being unreachable. Staff restore (keep it) or remove;
 * the author deleting the thing withdraws the entry.
 */
export const moderationCaseFlow = defineMachine({
  name: 'moderation_case',
  states: ['open', 'restored', 'removed', 'withdrawn'],
  transitions: {
    restore: { from: ['open'], to: 'restored' },
    remove: { from: ['open'], to: 'removed' },
    withdraw: { from: ['open'], to: 'withdrawn' },
  },
});

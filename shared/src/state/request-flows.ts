import { defineMachine, sourcesOf } from './machine';

/**
 * A resident's request (need, complaint, repair, ...): staff dispatch it to a handler (a staff
 * member or a home-service shop), the handler accepts and resolves it, the resident rates it
 * (closed) or reopens it once. Staff may re-dispatch while it is open; a handler who cannot take
 * it hands it back. Closed also comes by itself some days after it was resolved.
 */
export const requestFlow = defineMachine({
  name: 'resident_request',
  states: ['submitted', 'dispatched', 'accepted', 'resolved', 'reopened', 'closed', 'rejected', 'withdrawn'],
  transitions: {
    /** Staff pick a handler; again later to re-dispatch (a new handler, or the same after a reopen). */
    dispatch: { from: ['submitted', 'dispatched', 'accepted', 'reopened'], to: 'dispatched' },
    /** The handler takes it on (after a reopen the same handler may take it straight back). */
    accept: { from: ['dispatched', 'reopened'], to: 'accepted' },
    /** The handler cannot take it (or a reopened one is not theirs to fix): back to staff to dispatch again. */
    decline: { from: ['dispatched', 'reopened'], to: 'submitted' },
    resolve: { from: ['accepted'], to: 'resolved' },
    /** The resident rates it, or the auto-close job N days after it was resolved. */
    close: { from: ['resolved'], to: 'closed' },
    /** Once per request, by the resident (the count is checked by the same UPDATE). */
    reopen: { from: ['resolved'], to: 'reopened' },
    /** Staff, with a reason, before anyone works on it. */
    reject: { from: ['submitted'], to: 'rejected' },
    /** The resident takes it back before a handler accepted it. */
    withdraw: { from: ['submitted', 'dispatched'], to: 'withdrawn' },
  },
});
export type RequestStatus = (typeof requestFlow.states)[number];
export type RequestEvent = keyof typeof requestFlow.transitions;

/** Requests someone still has to act on (their timers run, staff see them as open). */
export const OPEN_REQUEST_STATES = ['submitted', 'dispatched', 'accepted', 'reopened'] as const;
/** Until a handler accepted it (or staff rejected it) the response clock runs. */
export const AWAITING_RESPONSE_STATES = ['submitted', 'dispatched'] as const;
/** Until it is resolved the resolution clock runs. */
export const AWAITING_RESOLUTION_STATES = sourcesOf(requestFlow, 'dispatch');

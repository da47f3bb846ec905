import { defineMachine, sourcesOf } from './machine';

/** A request to be recorded as living in a household; staff decide once. */
export const membershipFlow = defineMachine({
  name: 'membership',
  states: ['pending', 'approved', 'rejected'],
  transitions: {
    approve: { from: ['pending'], to: 'approved' },
    reject: { from: ['pending'], to: 'rejected' },
  },
});

/** A family member acting for an elder: only after the elder's consent; either side may end it. */
export const proxyLinkFlow = defineMachine({
  name: 'proxy_link',
  states: ['pending', 'granted', 'revoked'],
  transitions: {
    consent: { from: ['pending'], to: 'granted' },
    revoke: { from: ['pending', 'granted'], to: 'revoked' },
  },
});

/**
 * A produce or shop order. Stock is reserved at `created`; every way into
 * `cancelled` releases it. The locker states (in_batch, in_locker, overdue, returned) are driven by
 * the delivery batches (bff/src/modules/lockers); shop pickup and home delivery go packed -> picked_up when the merchant
 * checks the resident's pickup code at hand-over.
 */
export const orderFlow = defineMachine({
  name: 'order',
  states: [
    'created',
    'paid',
    'accepted',
    'packed',
    'in_batch',
    'in_locker',
    'picked_up',
    'completed',
    'cancelled',
    'overdue',
    'returned',
    'refunded',
  ],
  transitions: {
    pay: { from: ['created'], to: 'paid' },
    /** The unpaid-order timeout. */
    expire: { from: ['created'], to: 'cancelled' },
    /** The resident, before the merchant has accepted. */
    cancel: { from: ['created', 'paid'], to: 'cancelled' },
    accept: { from: ['paid'], to: 'accepted' },
    reject: { from: ['paid'], to: 'cancelled' },
    pack: { from: ['accepted'], to: 'packed' },
    /** At cut-off: the merchant has the order (packed or still packing) and it has compartments. */
    batch: { from: ['accepted', 'packed'], to: 'in_batch' },
    drop: { from: ['in_batch'], to: 'in_locker' },
    /** Shop pickup or home delivery: the merchant checks the pickup code. */
    handOver: { from: ['packed'], to: 'picked_up' },
    collect: { from: ['in_locker', 'overdue'], to: 'picked_up' },
    complete: { from: ['picked_up'], to: 'completed' },
    miss: { from: ['in_locker'], to: 'overdue' },
    /** The resident pays to keep it in the locker for another free window (once). */
    extend: { from: ['overdue'], to: 'in_locker' },
    return: { from: ['overdue'], to: 'returned' },
    refund: { from: ['accepted', 'packed', 'picked_up', 'completed', 'overdue', 'returned'], to: 'refunded' },
  },
});

/**
 * Orders the resident has not paid for: the states `pay` fires from. Until the money arrives an
 * order (with the resident's name, phone and note) is the resident's business alone, so the shop
 * sees none of them.
 */
export const UNPAID_ORDER_STATES = sourcesOf(orderFlow, 'pay');

/** Money taken for an order. A confirmation for a closed payment still succeeds (the money moved) and is refunded. */
export const paymentFlow = defineMachine({
  name: 'payment',
  states: ['pending', 'succeeded', 'closed', 'refunding', 'refunded'],
  transitions: {
    confirm: { from: ['pending', 'closed'], to: 'succeeded' },
    close: { from: ['pending'], to: 'closed' },
    startRefund: { from: ['succeeded'], to: 'refunding' },
    finishRefund: { from: ['refunding'], to: 'refunded' },
  },
});

/**
 * Money going back through the provider, one row per refund (its id is the provider's out_refund_no,
 * so asking again never refunds twice). `failed` is retried (by the job's backoff, or by staff);
 * `abnormal` is the provider's word that the money could not reach the payer (a closed card):
 * staff must look, and may retry once it is fixed. The provider's word may arrive late, after we
 * gave up waiting, so success is accepted from every state but success.
 */
export const paymentRefundFlow = defineMachine({
  name: 'payment_refund',
  states: ['requested', 'processing', 'succeeded', 'failed', 'abnormal'],
  transitions: {
    /** The provider took the refund and will report the outcome. */
    submit: { from: ['requested', 'failed'], to: 'processing' },
    succeed: { from: ['requested', 'processing', 'failed', 'abnormal'], to: 'succeeded' },
    fail: { from: ['requested', 'processing', 'failed'], to: 'failed' },
    abnormal: { from: ['requested', 'processing', 'failed'], to: 'abnormal' },
    /** Staff ask for it again. */
    retry: { from: ['failed', 'abnormal'], to: 'requested' },
  },
});

/** A resident's refund request after the merchant accepted; unanswered requests are approved by a job. */
export const refundFlow = defineMachine({
  name: 'refund',
  states: ['requested', 'approved', 'rejected'],
  transitions: {
    approve: { from: ['requested'], to: 'approved' },
    reject: { from: ['requested'], to: 'rejected' },
  },
});

/** Staff verify a shop before it can sell; the owner may pause and resume it. */
export const merchantFlow = defineMachine({
  name: 'merchant',
  states: ['pending', 'open', 'paused', 'closed'],
  transitions: {
    verify: { from: ['pending'], to: 'open' },
    pause: { from: ['open'], to: 'paused' },
    resume: { from: ['paused'], to: 'open' },
    close: { from: ['open', 'paused'], to: 'closed' },
  },
});

/** A truck's run for one delivery window: built at cut-off, then driven by the courier. */
export const batchFlow = defineMachine({
  name: 'batch',
  states: ['building', 'ready', 'in_progress', 'done'],
  transitions: {
    finish: { from: ['building'], to: 'ready' },
    start: { from: ['ready'], to: 'in_progress' },
    complete: { from: ['in_progress'], to: 'done' },
  },
});

/** One locker compartment. Assignment reserves it; the courier's drop occupies it; pickup frees it. */
export const compartmentFlow = defineMachine({
  name: 'compartment',
  states: ['free', 'reserved', 'occupied', 'out_of_service'],
  transitions: {
    reserve: { from: ['free'], to: 'reserved' },
    occupy: { from: ['reserved'], to: 'occupied' },
    release: { from: ['reserved', 'occupied'], to: 'free' },
    breakDown: { from: ['free', 'reserved', 'occupied'], to: 'out_of_service' },
    repair: { from: ['out_of_service'], to: 'free' },
  },
});

/**
 * A WeChat subscribe-message delivery. `claim` may also take over a `sending` row whose lease ran
 * out (its worker died mid-send); the service checks the lease before it fires that event.
 */
export const wechatDeliveryFlow = defineMachine({
  name: 'wechat_delivery',
  states: ['pending', 'sending', 'sent', 'no_quota', 'no_openid', 'failed'],
  transitions: {
    claim: { from: ['pending', 'sending'], to: 'sending' },
    noQuota: { from: ['pending', 'sending'], to: 'no_quota' },
    noOpenid: { from: ['pending', 'sending'], to: 'no_openid' },
    deliver: { from: ['sending'], to: 'sent' },
    retry: { from: ['sending'], to: 'pending' },
    fail: { from: ['sending'], to: 'failed' },
  },
});

/** A locker bank: staff take the whole bank out of service (a power cut, a broken panel) and back. */
export const lockerBankFlow = defineMachine({
  name: 'locker_bank',
  states: ['active', 'out_of_service'],
  transitions: {
    breakDown: { from: ['active'], to: 'out_of_service' },
    repair: { from: ['out_of_service'], to: 'active' },
  },
});

/** A delivery window takes orders until its cut-off (or staff's 立即截单) closes it. */
export const deliveryWindowFlow = defineMachine({
  name: 'delivery_window',
  states: ['open', 'closed'],
  transitions: {
    close: { from: ['open'], to: 'closed' },
  },
});

/**
 * An order's hold on a compartment in a batch: reserved at the build, occupied at the drop,
 * released at pickup, retrieval or when the courier swaps a broken compartment.
 */
export const lockerAssignmentFlow = defineMachine({
  name: 'locker_assignment',
  states: ['reserved', 'occupied', 'released'],
  transitions: {
    occupy: { from: ['reserved'], to: 'occupied' },
    release: { from: ['reserved', 'occupied'], to: 'released' },
  },
});

/** An assignment still holds its compartment. */
export const LIVE_ASSIGNMENT_STATES = sourcesOf(lockerAssignmentFlow, 'release');

/** Orders the truck takes: the merchant has them (accepted or packed). */
export const READY_FOR_TRUCK_STATES = sourcesOf(orderFlow, 'batch');
/** Orders the merchant has not accepted yet (unpaid, or paid and waiting). */
export const NOT_YET_ACCEPTED_STATES = [
  ...sourcesOf(orderFlow, 'pay'),
  ...sourcesOf(orderFlow, 'accept'),
] as const;
/** Orders still on their way to the shop's hands or the truck: their pickup code is live. */
export const LIVE_CODE_STATES = [...NOT_YET_ACCEPTED_STATES, ...READY_FOR_TRUCK_STATES] as const;
/** States where the merchant has work (the badges on the tabs): accept, pack, hand over. */
export const MERCHANT_WORK_STATES = [
  ...sourcesOf(orderFlow, 'accept'),
  ...sourcesOf(orderFlow, 'pack'),
  ...sourcesOf(orderFlow, 'handOver'),
] as const;

/** A home-care provider (服务机构): staff verify it before its caregivers take bookings. */
export const careProviderFlow = defineMachine({
  name: 'care_provider',
  states: ['pending', 'verified', 'rejected', 'suspended'],
  transitions: {
    verify: { from: ['pending'], to: 'verified' },
    reject: { from: ['pending'], to: 'rejected' },
    suspend: { from: ['verified'], to: 'suspended' },
    reinstate: { from: ['suspended'], to: 'verified' },
  },
});

/**
 * A care visit booked for an elder. Items that need the provider's word start `requested`; the
 * others start `confirmed`. The caregiver's clock-in and clock-out drive the rest; a visit nobody
 * attended ends `no_show` (who missed it is recorded on the booking).
 */
export const careBookingFlow = defineMachine({
  name: 'care_booking',
  states: ['requested', 'confirmed', 'in_service', 'completed', 'cancelled', 'no_show'],
  transitions: {
    confirm: { from: ['requested'], to: 'confirmed' },
    /** Moved to a caregiver of a provider that must confirm: it waits for that provider's word. */
    askAgain: { from: ['requested', 'confirmed'], to: 'requested' },
    clockIn: { from: ['confirmed'], to: 'in_service' },
    clockOut: { from: ['in_service'], to: 'completed' },
    cancel: { from: ['requested', 'confirmed'], to: 'cancelled' },
    noShow: { from: ['confirmed'], to: 'no_show' },
  },
});

/** Bookings that hold a caregiver's and an elder's time (the exclusion constraints cover these). */
export const LIVE_BOOKING_STATES = ['requested', 'confirmed', 'in_service'] as const;
/** Bookings that can still be moved or cancelled by the family. */
export const CHANGEABLE_BOOKING_STATES = sourcesOf(careBookingFlow, 'cancel');

/** A volunteer's real-name profile: staff verify it once; a verified volunteer can be suspended. */
export const volunteerFlow = defineMachine({
  name: 'volunteer',
  states: ['pending', 'verified', 'rejected', 'suspended'],
  transitions: {
    verify: { from: ['pending'], to: 'verified' },
    reject: { from: ['pending'], to: 'rejected' },
    /** A rejected volunteer fixes the profile and asks again. */
    reapply: { from: ['rejected'], to: 'pending' },
    suspend: { from: ['verified'], to: 'suspended' },
    reinstate: { from: ['suspended'], to: 'verified' },
  },
});

/**
 * A help task for an elder. Offers go out in waves (`offered`); after the last wave staff are told
 * (`escalated`) and the task can still be taken; the deadline with nobody ends it `expired`.
 * The first accept wins.
 */
export const helpTaskFlow = defineMachine({
  name: 'help_task',
  states: ['open', 'offered', 'accepted', 'in_progress', 'done', 'expired', 'escalated', 'cancelled'],
  transitions: {
    offer: { from: ['open', 'offered'], to: 'offered' },
    escalate: { from: ['open', 'offered'], to: 'escalated' },
    accept: { from: ['open', 'offered', 'escalated'], to: 'accepted' },
    /** The volunteer backs out before starting: the task goes back to the board and the waves. */
    release: { from: ['accepted'], to: 'open' },
    start: { from: ['accepted'], to: 'in_progress' },
    finish: { from: ['in_progress'], to: 'done' },
    expire: { from: ['open', 'offered', 'escalated'], to: 'expired' },
    cancel: { from: ['open', 'offered', 'escalated', 'accepted'], to: 'cancelled' },
  },
});

/** Tasks a volunteer may still take. */
export const TAKEABLE_TASK_STATES = sourcesOf(helpTaskFlow, 'accept');
/** Tasks that hold a volunteer (their address is shown to that volunteer only in these). */
export const ACTIVE_TASK_STATES = ['accepted', 'in_progress'] as const;

/**
 * The hours of a finished task: both sides confirm (the elder's side auto-confirms after 48 h);
 * a dispute goes to staff, whose decision is final.
 */
export const taskHoursFlow = defineMachine({
  name: 'task_hours',
  states: ['pending', 'confirmed', 'disputed', 'resolved'],
  transitions: {
    confirm: { from: ['pending'], to: 'confirmed' },
    dispute: { from: ['pending'], to: 'disputed' },
    resolve: { from: ['disputed'], to: 'resolved' },
  },
});

/** One-tap emergency help: raised, someone answers, staff acknowledge, it is closed. */
export const emergencyFlow = defineMachine({
  name: 'emergency',
  states: ['raised', 'answered', 'acknowledged', 'resolved', 'cancelled'],
  transitions: {
    answer: { from: ['raised'], to: 'answered' },
    acknowledge: { from: ['raised', 'answered'], to: 'acknowledged' },
    resolve: { from: ['raised', 'answered', 'acknowledged'], to: 'resolved' },
    cancel: { from: ['raised', 'answered'], to: 'cancelled' },
  },
});

/** A sign-up for an activity: a place or a waitlist position, then check-in and check-out. */
export const activitySignupFlow = defineMachine({
  name: 'activity_signup',
  states: ['signed_up', 'waitlisted', 'checked_in', 'checked_out', 'cancelled'],
  transitions: {
    promote: { from: ['waitlisted'], to: 'signed_up' },
    checkIn: { from: ['signed_up'], to: 'checked_in' },
    checkOut: { from: ['checked_in'], to: 'checked_out' },
    cancel: { from: ['signed_up', 'waitlisted'], to: 'cancelled' },
  },
});

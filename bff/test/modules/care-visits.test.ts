import { and, eq, inArray, sql } from 'drizzle-orm';
import { addDays, localClock, zonedInstant } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  careBookings,
  careIncidents,
  careVisitPhotos,
  careVisits,
  elderAccessLog,
  notifications,
  proxyLinks,
  subscribeQuotas,
  uploads,
  users,
  wechatDeliveries,
} from '../../src/db/schema';
import { visitRecords } from '../../src/modules/care/visits';
import { deliverWechat } from '../../src/modules/notifications/service';
import { localStore, runWithUploadUrls } from '../../src/modules/uploads';
import { createUploadUrls } from '../../src/modules/uploads/urls';
import { type CareWorld, careWorld, insertCareBooking, makeCaregiver } from '../fixtures/care';
import { bearer, freshPhone, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { UPLOAD_TEST_ENV, uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };
const TZ = 'Asia/Shanghai';
const MIN = 60_000;
const NOT_FOUND = { error: { code: 'NOT_FOUND', message: 'Resource not found' } };

let t: TestApp;
let w: CareWorld;
let other: Who & { id: string };
let store: ReturnType<typeof uploadDir>;

/** Each test plans on days of its own (live bookings of one elder may not overlap). */
const today = localClock(new Date(), TZ).date;
const at = (day: number, hhmm: string) => zonedInstant(addDays(today, day), hhmm, TZ);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MIN);

/** The test clock runs on from where it is set: an instant recorded is that one plus a few ms. */
function expectAbout(actual: string | Date, expected: Date) {
  const ms = new Date(actual).getTime() - expected.getTime();
  expect(ms).toBeGreaterThanOrEqual(0);
  expect(ms).toBeLessThan(2000);
}

const visitUrl = (id: string, tail = '') => `/v1/caregiver/visits/${id}${tail}`;
const get = (who: Who, id: string) => t.call({ method: 'GET', url: visitUrl(id), headers: bearer(who) });
const post = (who: Who, id: string, tail: string, payload: object = {}) =>
  t.call({ method: 'POST', url: visitUrl(id, tail), headers: bearer(who), payload });
const near = () => ({ ...w.compound.location });
/** About 1.1 km north of the gate. */
const far = () => ({ lat: w.compound.location.lat + 0.01, lng: w.compound.location.lng });

/** What PostgreSQL said about a failed statement (drizzle wraps it in an error of its own). */
async function refusal(q: Promise<unknown>): Promise<string> {
  try {
    await q;
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
  throw new Error('the statement was not refused');
}

async function logRows(bookingId: string) {
  return t.deps.db.select().from(elderAccessLog).where(eq(elderAccessLog.bookingId, bookingId));
}
async function logCountBy(readerId: string) {
  const [r] = await t.deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(elderAccessLog)
    .where(eq(elderAccessLog.readerId, readerId));
  return r!.n;
}
async function bookingRow(id: string) {
  const [r] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, id));
  return r!;
}
async function visitRow(id: string) {
  const [r] = await t.deps.db.select().from(careVisits).where(eq(careVisits.bookingId, id));
  return r;
}
async function inboxOf(userId: string, kind: string) {
  return t.deps.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));
}

/** A confirmed visit clocked in at its start, near the compound. */
async function inService(startsAt: Date) {
  const b = await insertCareBooking(t, { world: w, startsAt });
  t.clock.set(startsAt);
  const res = await post(w.caregiver, b.id, '/clock-in', near());
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return b;
}

beforeAll(async () => {
  store = uploadDir();
  t = await setupTestApp({ ...TEST_ENV, ...UPLOAD_TEST_ENV, ...store.env });
  w = await careWorld(t);
  other = await makeCaregiver(t, { providerId: w.provider.id, compoundId: w.compound.id });
});
afterAll(async () => {
  await t?.close();
  store?.cleanup();
});

describe('the elder’s address, phone and health notes', () => {
  it('are masked until 2 h before the start, shown from then (one log row per field per read), masked again once completed', async () => {
    const start = at(2, '10:00');
    const b = await insertCareBooking(t, { world: w, startsAt: start });

    t.clock.set(plus(start, -121));
    const early = await get(w.caregiver, b.id);
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    expect(early.body).toMatchObject({
      bookingId: b.id,
      shortNo: b.shortNo,
      status: 'confirmed',
      itemName: '上门助浴',
      elderName: '刘奶奶',
      compoundName: '银杏院',
      address: '银杏院 · 1栋 · ***',
      phone: '138****0020',
      healthNotes: null,
      revealed: false,
    });
    expect(early.body.address).not.toContain('102');
    expect(await logRows(b.id)).toHaveLength(0);

    t.clock.set(plus(start, -120));
    const open = await get(w.caregiver, b.id);
    expect(open.body).toMatchObject({
      address: w.elder.address,
      phone: PHONES.elder,
      healthNotes: '高血压，服药中',
      revealed: true,
    });
    expect(w.elder.address).toMatch(/^黌门街社区 · 银杏院 · 1栋 · \d{3}$/);
    let rows = await logRows(b.id);
    expect(rows.map((r) => r.field).sort()).toEqual(['address', 'health_notes', 'phone']);
    expect(rows.every((r) => r.readerId === w.caregiver.userId && r.elderId === w.elder.userId)).toBe(true);
    expect(rows[0]!.reason).toBe(`上门服务 ${b.shortNo}`);

    // A second read is a second access: three more rows, never an update of the first three.
    await get(w.caregiver, b.id);
    expect(await logRows(b.id)).toHaveLength(6);

    t.clock.set(plus(start, -5));
    const clocked = await post(w.caregiver, b.id, '/clock-in', near());
    expect(clocked.body).toMatchObject({ status: 'in_service', revealed: true });
    expect(await logRows(b.id)).toHaveLength(9);

    // Running late: past the planned end but still in service, the caregiver still needs the door.
    t.clock.set(plus(start, 75));
    expect((await get(w.caregiver, b.id)).body.revealed).toBe(true);
    expect(await logRows(b.id)).toHaveLength(12);

    const done = await post(w.caregiver, b.id, '/clock-out', { ...near(), summary: '已协助洗浴，精神很好' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      status: 'completed',
      revealed: false,
      address: '银杏院 · 1栋 · ***',
      phone: '138****0020',
      healthNotes: null,
    });
    t.clock.set(plus(start, 80));
    const after = await get(w.caregiver, b.id);
    expect(after.body).toMatchObject({ revealed: false, phone: '138****0020', healthNotes: null });
    rows = await logRows(b.id);
    expect(rows).toHaveLength(12);
  });

  it('a confirmed visit never clocked in is masked again once its end has passed', async () => {
    const start = at(3, '14:00');
    const b = await insertCareBooking(t, { world: w, startsAt: start });
    // (the test clock keeps running from where it is set: a minute short of the end, then past it)
    t.clock.set(plus(start, 59));
    expect((await get(w.caregiver, b.id)).body.revealed).toBe(true);
    t.clock.set(plus(start, 61));
    expect((await get(w.caregiver, b.id)).body).toMatchObject({ revealed: false, status: 'confirmed' });
    expect(await logRows(b.id)).toHaveLength(3);
  });

  it('the database refuses UPDATE and DELETE on the access log', async () => {
    const before = await t.deps.db.select().from(elderAccessLog);
    expect(before.length).toBeGreaterThan(0);
    expect(await refusal(t.deps.db.execute(sql`UPDATE elder_access_log SET reason = 'tampered'`))).toMatch(
      /elder_access_log is append-only/,
    );
    expect(await refusal(t.deps.db.execute(sql`DELETE FROM elder_access_log`))).toMatch(
      /elder_access_log is append-only/,
    );
    const after = await t.deps.db.select().from(elderAccessLog);
    expect(after).toEqual(before);
  });
});

describe('the visit list', () => {
  it('splits by local day and logs only the entries it reveals', async () => {
    // Day 1 comes before every other test's days, so "past" holds nothing of theirs.
    const now = at(1, '09:00');
    const soon = await insertCareBooking(t, { world: w, startsAt: at(1, '10:00') });
    const later = await insertCareBooking(t, { world: w, startsAt: at(1, '16:00') });
    const cancelled = await insertCareBooking(t, { world: w, startsAt: at(1, '12:00'), status: 'cancelled' });
    const theirs = await insertCareBooking(t, { world: w, startsAt: at(1, '13:00'), caregiverId: other.id });
    const yesterday = await insertCareBooking(t, { world: w, startsAt: at(0, '10:00'), status: 'completed' });
    const next = await insertCareBooking(t, { world: w, startsAt: at(20, '10:00') });
    t.clock.set(now);

    const list = (scope: string) =>
      t.call({ method: 'GET', url: `/v1/caregiver/visits?scope=${scope}`, headers: bearer(w.caregiver) });
    const logged = await logCountBy(w.caregiver.userId);

    const todays = await list('today');
    expect(todays.status, JSON.stringify(todays.body)).toBe(200);
    expect(todays.body.items.map((v: { bookingId: string }) => v.bookingId)).toEqual([soon.id, later.id]);
    expect(todays.body.items.map((v: { revealed: boolean }) => v.revealed)).toEqual([true, false]);
    expect(todays.body.items[1].address).toBe('银杏院 · 1栋 · ***');
    expect(await logRows(soon.id)).toHaveLength(3);
    expect(await logRows(later.id)).toHaveLength(0);
    expect(await logCountBy(w.caregiver.userId)).toBe(logged + 3);

    const upcoming = await list('upcoming');
    const ids = upcoming.body.items.map((v: { bookingId: string }) => v.bookingId);
    expect(ids).toContain(next.id);
    expect(ids).not.toContain(soon.id);
    expect(ids).not.toContain(theirs.id);
    expect(upcoming.body.items.every((v: { revealed: boolean }) => !v.revealed)).toBe(true);

    const past = await list('past');
    expect(past.body.items.map((v: { bookingId: string }) => v.bookingId)).toEqual([yesterday.id]);
    expect(past.body.items[0]).toMatchObject({ status: 'completed', revealed: false });
    expect(await logCountBy(w.caregiver.userId)).toBe(logged + 3);
    expect(todays.body.items.map((v: { bookingId: string }) => v.bookingId)).not.toContain(cancelled.id);

    // The other caregiver's list has only their visit, masked at this distance from its start.
    const theirList = await t.call({ method: 'GET', url: '/v1/caregiver/visits', headers: bearer(other) });
    expect(theirList.body.items.map((v: { bookingId: string }) => v.bookingId)).toEqual([theirs.id]);
    expect(theirList.body.items[0].revealed).toBe(false);
  });
});

describe('clock-in', () => {
  it('is refused earlier than 15 minutes before the start (409, nothing changes), accepted from then', async () => {
    const start = at(4, '09:00');
    const b = await insertCareBooking(t, { world: w, startsAt: start });
    t.clock.set(plus(start, -16));
    const early = await post(w.caregiver, b.id, '/clock-in', near());
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('VISIT_TOO_EARLY');
    expect((await bookingRow(b.id)).status).toBe('confirmed');
    expect(await visitRow(b.id)).toBeUndefined();

    t.clock.set(plus(start, -15));
    const ok = await post(w.caregiver, b.id, '/clock-in', near());
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.visit).toMatchObject({ clockInDistanceM: 0, locationFlagged: false });
    expectAbout(ok.body.visit.clockInAt, plus(start, -15));

    const again = await post(w.caregiver, b.id, '/clock-in', near());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('VISIT_IN_SERVICE');
  });

  it('far from the compound is accepted and flagged', async () => {
    const start = at(5, '09:00');
    const b = await insertCareBooking(t, { world: w, startsAt: start });
    t.clock.set(start);
    const res = await post(w.caregiver, b.id, '/clock-in', far());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('in_service');
    expect(res.body.visit.locationFlagged).toBe(true);
    expect(res.body.visit.clockInDistanceM).toBeGreaterThan(1000);
    expect(res.body.visit.clockInDistanceM).toBeLessThan(1250);
    // A near clock-out does not clear the flag: the provider still sees the far clock-in.
    const out = await post(w.caregiver, b.id, '/clock-out', near());
    expect(out.body.visit).toMatchObject({ locationFlagged: true, clockOutDistanceM: 0 });
  });

  it('two clock-ins at once: exactly one moves the visit', async () => {
    const start = at(6, '09:00');
    const b = await insertCareBooking(t, { world: w, startsAt: start });
    t.clock.set(start);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post(w.caregiver, b.id, '/clock-in', near())),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const audits = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'care.visit.clocked_in'), eq(auditLog.subjectId, b.id)));
    expect(audits).toHaveLength(1);
    expect((await bookingRow(b.id)).version).toBe(b.version + 1);
  });
});

describe('clock-out', () => {
  it('completes the visit with the six EVV facts and sends the summary to the elder and consented family only', async () => {
    // Someone asked to act for the elder but was never granted: they hear nothing.
    const stranger = await t.login(freshPhone());
    await t.deps.db.insert(proxyLinks).values({
      elderId: w.elder.userId,
      elderPhone: PHONES.elder,
      proxyId: stranger.userId,
      relationship: '邻居',
      consentStatus: 'pending',
    });
    // The family granted one subscribe message; the elder has WeChat but granted none.
    await t.deps.db.update(users).set({ openid: 'o_family_liu' }).where(eq(users.id, w.family.userId));
    await t.deps.db.update(users).set({ openid: 'o_elder_liu' }).where(eq(users.id, w.elder.userId));
    await t.deps.db.insert(subscribeQuotas).values({
      userId: w.family.userId,
      templateId: t.deps.config.WECHAT_TEMPLATE_ORDER_STATUS,
      remaining: 1,
    });

    const start = at(7, '15:00');
    const b = await inService(start);
    t.clock.set(plus(start, 58));
    const out = await post(w.caregiver, b.id, '/clock-out', {
      lat: near().lat + 0.001,
      lng: near().lng,
      summary: '洗浴顺利，血压 130/85',
    });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body.status).toBe('completed');
    expectAbout(out.body.visit.clockInAt, start);
    expectAbout(out.body.visit.clockOutAt, plus(start, 58));
    expect(out.body.visit).toMatchObject({
      clockInDistanceM: 0,
      locationFlagged: false,
      summary: '洗浴顺利，血压 130/85',
    });
    expect(out.body.visit.clockOutDistanceM).toBeGreaterThan(100);
    expect(out.body.visit.clockOutDistanceM).toBeLessThan(120);

    // The six facts: service, client, date, location, caregiver, start/end.
    const booking = await bookingRow(b.id);
    const visit = (await visitRow(b.id))!;
    expect(booking).toMatchObject({
      status: 'completed',
      itemId: w.item.id,
      itemName: '上门助浴',
      elderId: w.elder.userId,
      caregiverId: w.caregiver.id,
      localDate: addDays(today, 7),
    });
    expectAbout(visit.clockInAt!, start);
    expectAbout(visit.clockOutAt!, plus(start, 58));
    expect(visit).toMatchObject({
      clockInLat: near().lat,
      clockInLng: near().lng,
      clockOutLat: near().lat + 0.001,
      clockOutLng: near().lng,
    });

    const link = `/care/booking?id=${b.id}`;
    for (const userId of [w.elder.userId, w.family.userId]) {
      const got = await inboxOf(userId, 'care.visit.completed');
      const mine = got.filter((n) => n.link === link);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.body).toContain('洗浴顺利，血压 130/85');
      expect(mine[0]!.body).toContain('陈护理员');
    }
    expect(await inboxOf(stranger.userId, 'care.visit.completed')).toHaveLength(0);
    expect(await inboxOf(w.caregiver.userId, 'care.visit.completed')).toHaveLength(0);

    // The subscribe message goes out within the quota: the family's is sent, the elder's is not.
    const sent = await t.deps.db
      .select({
        userId: notifications.userId,
        id: notifications.id,
        template: wechatDeliveries.template,
        page: wechatDeliveries.page,
      })
      .from(wechatDeliveries)
      .innerJoin(notifications, eq(notifications.id, wechatDeliveries.notificationId))
      .where(eq(notifications.link, link));
    expect(sent.map((s) => s.template)).toEqual(['orderStatus', 'orderStatus']);
    expect(sent.every((s) => s.page === `care/booking?id=${b.id}`)).toBe(true);
    const byUser = new Map(sent.map((s) => [s.userId, s.id]));
    t.wechat.reset();
    expect(await deliverWechat(t.deps, byUser.get(w.family.userId)!, { isLast: false })).toBe('sent');
    expect(await deliverWechat(t.deps, byUser.get(w.elder.userId)!, { isLast: false })).toBe('no_quota');
    expect(t.wechat.sent.map((m) => m.touser)).toEqual(['o_family_liu']);
    expect(t.wechat.sent[0]!.data.thing1!.value).toBe('上门助浴');

    // Clocking out again is a 409 and tells no one twice.
    const again = await post(w.caregiver, b.id, '/clock-out', near());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('VISIT_COMPLETED');
    expect(
      (await inboxOf(w.family.userId, 'care.visit.completed')).filter((n) => n.link === link),
    ).toHaveLength(1);
  });

  it('before clock-in is a 409 and changes nothing', async () => {
    const start = at(8, '09:00');
    const b = await insertCareBooking(t, { world: w, startsAt: start });
    t.clock.set(start);
    const res = await post(w.caregiver, b.id, '/clock-out', near());
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('VISIT_NOT_STARTED');
    expect((await bookingRow(b.id)).status).toBe('confirmed');
  });
});

describe('the visit record', () => {
  it('a checklist label not on the item is a field-level 400 and nothing is saved; known labels and notes are', async () => {
    const b = await inService(at(9, '09:00'));
    const patch = (payload: object) =>
      t.call({ method: 'PATCH', url: visitUrl(b.id), headers: bearer(w.caregiver), payload });

    const bad = await patch({ checklistDone: ['测量血压', '跳广场舞'], notes: '不该保存' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.checklistDone.1', message: "is not on this service's checklist" }],
    });
    expect(await visitRow(b.id)).toMatchObject({ checklistDone: [], notes: '' });

    const ok = await patch({ checklistDone: ['测量血压', '整理床铺'], notes: '老人午睡后开始' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.visit.checklist).toEqual([
      { label: '测量血压', done: true },
      { label: '协助洗浴', done: false },
      { label: '整理床铺', done: true },
    ]);
    expect(ok.body.visit.notes).toBe('老人午睡后开始');
    const notesOnly = await patch({ notes: '补充：已通风' });
    expect(notesOnly.body.visit.checklist.filter((c: { done: boolean }) => c.done)).toHaveLength(2);

    // The lead's booking views read the same record.
    const records = await visitRecords(t.deps.db, [{ id: b.id, itemId: w.item.id }]);
    expect(records.get(b.id)).toMatchObject({
      notes: '补充：已通风',
      checklist: ok.body.visit.checklist,
      photos: [],
      clockOutAt: null,
    });
  });

  it('visitRecords gives an empty record for a booking nobody has visited yet', async () => {
    const b = await insertCareBooking(t, { world: w, startsAt: at(30, '09:00'), status: 'requested' });
    const records = await visitRecords(t.deps.db, [{ id: b.id, itemId: w.item.id }]);
    expect(records.get(b.id)).toEqual({
      clockInAt: null,
      clockOutAt: null,
      clockInDistanceM: null,
      clockOutDistanceM: null,
      locationFlagged: false,
      checklist: w.item.checklist.map((label) => ({ label, done: false })),
      notes: '',
      summary: '',
      photos: [],
      rating: null,
      ratingComment: null,
    });
    expect((await visitRecords(t.deps.db, [])).size).toBe(0);
  });

  it('photos: the caregiver’s own visit upload is attached once and served signed; others are refused', async () => {
    const b = await inService(at(10, '09:00'));
    const [photo] = await uploadPhotos(t, w.caregiver, 1, 'care_visit');
    const [refundPhoto] = await uploadPhotos(t, w.caregiver, 1, 'refund');
    const [theirPhoto] = await uploadPhotos(t, other, 1, 'care_visit');

    const res = await post(w.caregiver, b.id, '/photos', { uploadId: photo });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.visit.photos).toHaveLength(1);
    const ref = res.body.visit.photos[0];
    expect(ref.id).toBe(photo);
    expect(ref.url).toMatch(new RegExp(`^/v1/uploads/${photo}/file\\?variant=image&exp=\\d+&sig=`));
    const image = await t.app.inject({ method: 'GET', url: ref.url });
    expect(image.statusCode).toBe(200);
    expect(image.headers['cache-control']).toMatch(/^private/);
    // Private: without the signature there is nothing to see.
    const bare = await t.app.inject({ method: 'GET', url: `/v1/uploads/${photo}/file` });
    expect(bare.statusCode).toBe(404);
    const [row] = await t.deps.db.select().from(uploads).where(eq(uploads.id, photo!));
    expect(row).toMatchObject({
      purpose: 'care_visit',
      visibility: 'private',
      attachedType: 'care_visit',
      attachedId: b.id,
    });

    for (const uploadId of [photo, refundPhoto, theirPhoto]) {
      const refused = await post(w.caregiver, b.id, '/photos', { uploadId });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('UPLOAD_NOT_AVAILABLE');
      expect(refused.body.error.details).toEqual([
        { path: 'body.uploadId', message: 'is not a visit photo you uploaded, or is already used' },
      ]);
    }
    const photos = await t.deps.db.select().from(careVisitPhotos).where(eq(careVisitPhotos.bookingId, b.id));
    expect(photos).toHaveLength(1);

    // The booking views (the family's, the provider's, staff's) sign the same photo for their reader.
    const urls = createUploadUrls(t.deps, localStore(store.dir));
    const records = await runWithUploadUrls(urls, () =>
      visitRecords(t.deps.db, [{ id: b.id, itemId: w.item.id }]),
    );
    expect(records.get(b.id)!.photos.map((p) => p.id)).toEqual([photo]);
  });

  it('a visit photo database row cannot claim to be public', async () => {
    const visitPhotos = await t.deps.db.select().from(uploads).where(eq(uploads.purpose, 'care_visit'));
    expect(visitPhotos.length).toBeGreaterThan(0);
    expect(
      await refusal(
        t.deps.db.execute(sql`UPDATE uploads SET visibility = 'public' WHERE purpose = 'care_visit'`),
      ),
    ).toMatch(/uploads_visibility_of_purpose/);
  });
});

describe('incidents', () => {
  it('write a care_incidents row, tell the provider owner and the community staff, and are audited', async () => {
    const staff = await makeStaff(t, { runsDemo: true });
    const outsider = await makeStaff(t, { runsDemo: false });
    const b = await inService(at(11, '09:00'));
    const res = await post(w.caregiver, b.id, '/incidents', {
      description: '老人洗浴时头晕，已扶到床上休息',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const incidents = await t.deps.db.select().from(careIncidents).where(eq(careIncidents.bookingId, b.id));
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      reportedBy: w.caregiver.userId,
      description: '老人洗浴时头晕，已扶到床上休息',
    });
    for (const userId of [w.provider.owner.userId, staff.userId]) {
      const got = (await inboxOf(userId, 'care.incident')).filter(
        (n) => n.dedupeKey === `care.incident:${incidents[0]!.id}`,
      );
      expect(got).toHaveLength(1);
      expect(got[0]!.body).toContain('头晕');
      expect(got[0]!.body).toContain(b.shortNo);
    }
    expect(await inboxOf(outsider.userId, 'care.incident')).toHaveLength(0);
    expect(await inboxOf(w.family.userId, 'care.incident')).toHaveLength(0);
    const audits = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'care.incident.reported'), eq(auditLog.subjectId, b.id)));
    expect(audits).toHaveLength(1);

    const empty = await post(w.caregiver, b.id, '/incidents', { description: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].path).toBe('body.description');
  });
});

describe('the elder not at home', () => {
  it('is recorded only after the start: confirmed -> no_show by the elder, and the family is told', async () => {
    const start = at(12, '09:00');
    const b = await insertCareBooking(t, { world: w, startsAt: start });
    t.clock.set(plus(start, -1));
    const early = await post(w.caregiver, b.id, '/no-show');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('VISIT_NOT_DUE');
    expect((await bookingRow(b.id)).status).toBe('confirmed');

    t.clock.set(plus(start, 10));
    const res = await post(w.caregiver, b.id, '/no-show');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'no_show', revealed: false });
    expect(await bookingRow(b.id)).toMatchObject({ status: 'no_show', noShowBy: 'elder' });
    const told = (await inboxOf(w.family.userId, 'care.visit.no_show')).filter(
      (n) => n.link === `/care/booking?id=${b.id}`,
    );
    expect(told).toHaveLength(1);

    const clockIn = await post(w.caregiver, b.id, '/clock-in', near());
    expect(clockIn.status).toBe(409);
    expect(clockIn.body.error.code).toBe('VISIT_NO_SHOW');
  });

  it('cannot be recorded for a visit already in service', async () => {
    const b = await inService(at(13, '09:00'));
    const res = await post(w.caregiver, b.id, '/no-show');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('VISIT_IN_SERVICE');
  });
});

describe('who may', () => {
  const routes = (id: string, uploadId: string) => [
    { method: 'GET' as const, url: visitUrl(id) },
    { method: 'POST' as const, url: visitUrl(id, '/clock-in'), payload: near() },
    { method: 'POST' as const, url: visitUrl(id, '/clock-out'), payload: { ...near(), summary: '冒名' } },
    { method: 'PATCH' as const, url: visitUrl(id), payload: { checklistDone: ['测量血压'], notes: '冒名' } },
    { method: 'POST' as const, url: visitUrl(id, '/photos'), payload: { uploadId } },
    { method: 'POST' as const, url: visitUrl(id, '/incidents'), payload: { description: '冒名' } },
    { method: 'POST' as const, url: visitUrl(id, '/no-show'), payload: {} },
  ];

  /** Everything a visit route could change or write, for one booking. */
  async function footprint(id: string, uploadId: string) {
    const db = t.deps.db;
    return {
      booking: await bookingRow(id),
      visit: (await visitRow(id)) ?? null,
      photos: await db.select().from(careVisitPhotos).where(eq(careVisitPhotos.bookingId, id)),
      incidents: await db.select().from(careIncidents).where(eq(careIncidents.bookingId, id)),
      log: (await logRows(id)).length,
      audit: (await db.select().from(auditLog).where(eq(auditLog.subjectId, id))).length,
      upload: (await db.select().from(uploads).where(eq(uploads.id, uploadId)))[0],
      told: (
        await db
          .select()
          .from(notifications)
          .where(inArray(notifications.userId, [w.elder.userId, w.family.userId, w.provider.owner.userId]))
      ).length,
    };
  }

  it('another caregiver’s token on every :id route answers 404 and changes nothing', async () => {
    const start = at(14, '09:00');
    // One visit due now (clock-in and no-show would be allowed) and one in service since 06:00.
    const due = await insertCareBooking(t, { world: w, startsAt: start });
    const running = await inService(plus(start, -180));
    t.clock.set(start);
    const [theirPhoto] = await uploadPhotos(t, other, 1, 'care_visit');

    for (const b of [due, running]) {
      const before = await footprint(b.id, theirPhoto!);
      for (const r of routes(b.id, theirPhoto!)) {
        const res = await t.call({ ...r, headers: bearer(other) });
        expect(res.status, `${r.method} ${r.url}`).toBe(404);
        expect(res.body).toEqual(NOT_FOUND);
      }
      expect(await footprint(b.id, theirPhoto!)).toEqual(before);
    }

    // The same calls by the visit's own caregiver go through: the 404s were about who, not when.
    expect((await post(w.caregiver, due.id, '/clock-in', near())).status).toBe(200);
    const patched = await t.call({
      method: 'PATCH',
      url: visitUrl(running.id),
      headers: bearer(w.caregiver),
      payload: { checklistDone: ['测量血压'] },
    });
    expect(patched.status).toBe(200);
  });

  it('a resident’s or a provider’s token on the caregiver routes answers 403', async () => {
    const b = await insertCareBooking(t, { world: w, startsAt: at(15, '09:00') });
    t.clock.set(at(15, '09:00'));
    const before = await footprint(b.id, b.id);
    const elder = await t.login(PHONES.elder);
    for (const who of [elder, w.family, w.provider.owner]) {
      const list = await t.call({ method: 'GET', url: '/v1/caregiver/visits', headers: bearer(who) });
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('FORBIDDEN');
      for (const r of routes(b.id, b.id)) {
        const res = await t.call({ ...r, headers: bearer(who) });
        expect(res.status, `${r.method} ${r.url}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    }
    expect(await footprint(b.id, b.id)).toEqual(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, signIn, startSuite, type Person, type RunningSuite } from '../support/suite';
import { outbox } from '../support/governed-loop';

// Moves the suite's clock to reach each prospect's business hours, so it has a suite of its own.
let suite: RunningSuite;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

const weekdays = [1, 2, 3, 4, 5];
/** Three reps in three zones, each working 09:00–17:00 their time. */
const reps = [
  { mailbox: 'ava@northwind-sales.example', name: 'Ava Chen', timeZone: 'America/Chicago' },
  { mailbox: 'ben@northwind-sales.example', name: 'Ben Weber', timeZone: 'Europe/Berlin' },
  { mailbox: 'chi@northwind-sales.example', name: 'Chi Sato', timeZone: 'Asia/Tokyo' },
];
/** Each rep owns two prospects, in zones other than the rep's. */
const prospects = [
  { email: 'dana@fabrikam.example', owner: reps[0]!.mailbox, timeZone: 'Europe/London' },
  { email: 'eli@contoso.example', owner: reps[0]!.mailbox, timeZone: 'Asia/Singapore' },
  { email: 'fay@adatum.example', owner: reps[1]!.mailbox, timeZone: 'America/New_York' },
  { email: 'gus@litware.example', owner: reps[1]!.mailbox, timeZone: 'Australia/Sydney' },
  { email: 'hal@tailspin.example', owner: reps[2]!.mailbox, timeZone: 'America/Los_Angeles' },
  { email: 'ivy@wingtip.example', owner: reps[2]!.mailbox, timeZone: 'Europe/Paris' },
];

function wallClock(iso: string, timeZone: string): { weekday: string; minutes: number; text: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return {
    weekday: parts.weekday!,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    text: `${parts.weekday} ${parts.hour}:${parts.minute} ${timeZone}`,
  };
}
const isWeekday = (weekday: string) => !['Sat', 'Sun'].includes(weekday);

describe('a sales team in three zones', () => {
  let tenantId: string;
  let admin: Person;
  let revops: Person;
  let operator: Person;
  let prospectIds: Record<string, string>;

  beforeAll(async () => {
    tenantId = newTenantId();
    const people = await Promise.all(['Admin', 'RevOps', 'Operator'].map((role) => signIn(suite.baseUrl, tenantId, [role], `${role} person`)));
    [admin, revops, operator] = people as [Person, Person, Person];
    for (const rep of reps) {
      const saved = await call(suite.baseUrl, 'PUT', `v1/reps/${encodeURIComponent(rep.mailbox)}`, {
        token: revops.token,
        json: { name: rep.name, timeZone: rep.timeZone, workingHours: { start: '09:00', end: '17:00', days: weekdays } },
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ mailbox: rep.mailbox, timeZone: rep.timeZone, source: 'manual' });
    }
    // First touches go without a Manager here: this test is about who sends when, not about approvals.
    const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body;
    expect(policy.rules.sendingWindow).toMatchObject({ enabled: true, start: '08:00', end: '18:00' });
    await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: admin.token,
      json: { rules: { ...policy.rules, approvals: { ...policy.rules.approvals, firstTouch: false } }, version: policy.version },
    });
    const csv = ['email,company,timezone,owner', ...prospects.map((p) => `${p.email},${p.email.split('@')[1]},${p.timeZone},${p.owner}`)].join('\n');
    expect((await call(suite.baseUrl, 'POST', 'v1/prospects/import', { token: revops.token, text: csv, contentType: 'text/csv' })).status).toBe(200);
    const listed = (await call<any[]>(suite.baseUrl, 'GET', 'v1/prospects', { token: operator.token })).body;
    prospectIds = Object.fromEntries(listed.map((prospect) => [prospect.email, prospect.id]));
  });

  it("sends each rep's prospects from that rep's mailbox, inside the prospect's business hours", async () => {
    const campaign = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: 'Team outreach',
        mailboxes: reps.map((rep) => rep.mailbox),
        assignment: { rule: 'prospect_owner', capPerMailbox: 10 },
        sequence: { steps: [{ type: 'email', subject: 'Hello from {{company}}', body: 'A short note.', approval: 'none' }] },
      },
    });
    expect(campaign.status).toBe(201);
    expect(campaign.body).toMatchObject({ mailbox: reps[0]!.mailbox, mailboxes: reps.map((rep) => rep.mailbox) });
    const enrolled = await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, {
      token: revops.token,
      json: { prospectIds: Object.values(prospectIds) },
    });
    expect(enrolled.status).toBe(200);
    const enrolments = (await call<any[]>(suite.baseUrl, 'GET', `v1/campaigns/${campaign.body.id}/enrolments`, { token: revops.token })).body;
    expect(enrolments.map((enrolment) => enrolment.ordinal)).toEqual(prospects.map((_, index) => index));
    for (const prospect of prospects) {
      const enrolment = enrolments.find((candidate) => candidate.prospectId === prospectIds[prospect.email]);
      expect(enrolment).toMatchObject({ mailbox: prospect.owner, reason: 'prospect owner' });
    }
    expect((await call(suite.baseUrl, 'GET', `v1/campaigns/${campaign.body.id}`, { token: revops.token })).body).toMatchObject({
      enrolled: prospects.length,
      mailboxLoad: Object.fromEntries(reps.map((rep) => [rep.mailbox, prospects.filter((p) => p.owner === rep.mailbox).length])),
    });
    expect((await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/start`, { token: revops.token, json: {} })).status).toBe(202);

    // Whatever the hour, some prospects are outside their business hours: their sends wait for the window. The
    // clock moves on three hours at a time (across a weekend, if need be) until every prospect has been written to.
    let sent: any[] = [];
    for (let step = 0; step < 40; step += 1) {
      sent = await eventually(async () => outbox({ baseUrl: suite.baseUrl, tenantId }), 'the outbox');
      if (sent.length >= prospects.length) break;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      sent = await outbox({ baseUrl: suite.baseUrl, tenantId });
      if (sent.length >= prospects.length) break;
      await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: 3 } });
    }
    expect(sent.map((mail) => mail.to).sort()).toEqual(prospects.map((p) => p.email).sort());
    for (const prospect of prospects) {
      const mail = sent.find((candidate) => candidate.to === prospect.email);
      expect(mail.from).toBe(prospect.owner);
      const local = wallClock(mail.sentAt, prospect.timeZone);
      expect(isWeekday(local.weekday), `${prospect.email} at ${local.text}`).toBe(true);
      expect(local.minutes, `${prospect.email} at ${local.text}`).toBeGreaterThanOrEqual(8 * 60);
      expect(local.minutes, `${prospect.email} at ${local.text}`).toBeLessThan(18 * 60);
    }
  });

  it("offers meetings only inside the owning rep's working hours, and books a prospect once", async () => {
    for (const rep of reps) {
      const prospect = prospects.find((candidate) => candidate.owner === rep.mailbox)!;
      const id = prospectIds[prospect.email]!;
      const availability = await call(suite.baseUrl, 'GET', `v1/availability?prospectId=${id}&days=7`, { token: operator.token });
      expect(availability.status).toBe(200);
      expect(availability.body).toMatchObject({ timeZone: rep.timeZone, prospectTimeZone: prospect.timeZone, rep: { mailbox: rep.mailbox } });
      expect(availability.body.slots.length).toBeGreaterThan(1);
      for (const slot of availability.body.slots) {
        const start = wallClock(slot.start, rep.timeZone);
        const end = wallClock(slot.end, rep.timeZone);
        expect(isWeekday(start.weekday), start.text).toBe(true);
        expect(start.minutes, start.text).toBeGreaterThanOrEqual(9 * 60);
        expect(end.minutes, end.text).toBeLessThanOrEqual(17 * 60);
      }
    }

    const [owner] = reps;
    const prospectId = prospectIds[prospects[0]!.email]!;
    const [first, second] = (await call(suite.baseUrl, 'GET', `v1/availability?prospectId=${prospectId}&days=7`, { token: operator.token })).body
      .slots;
    const booked = await call(suite.baseUrl, 'POST', 'v1/bookings', { token: operator.token, json: { prospectId, ...first } });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'booked', start: first.start, rep: { mailbox: owner!.mailbox, timeZone: owner!.timeZone } });
    const again = await call(suite.baseUrl, 'POST', 'v1/bookings', { token: operator.token, json: { prospectId, ...first } });
    expect(again.status).toBe(200);
    expect(again.body.bookingId).toBe(booked.body.bookingId);

    const refused = await call(suite.baseUrl, 'POST', 'v1/bookings', { token: operator.token, json: { prospectId, ...second } });
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/already has a meeting booked for .*America\/Chicago.*Reschedule or cancel/);
    expect(refused.body.booking).toMatchObject({ bookingId: booked.body.bookingId, start: first.start });

    const listed = await call<any[]>(suite.baseUrl, 'GET', `v1/bookings?prospectId=${prospectId}`, { token: operator.token });
    expect(listed.body.map((booking) => booking.status)).toEqual(['booked']);
    const deal = async () =>
      (await call<any[]>(suite.baseUrl, 'GET', 'v1/deals', { token: operator.token })).body.find((d) => d.prospectId === prospectId);
    expect((await deal()).stage).toBe('MEETING_BOOKED');

    const moved = await call(suite.baseUrl, 'POST', `v1/bookings/${booked.body.bookingId}/reschedule`, { token: operator.token, json: second });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: second.start, rescheduledFrom: [{ start: first.start, end: first.end }] });

    const cancelled = await call(suite.baseUrl, 'POST', `v1/bookings/${booked.body.bookingId}/cancel`, {
      token: operator.token,
      json: { reason: 'Dana asked to talk next month' },
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Dana asked to talk next month' });
    expect((await deal()).stage).toBe('POSITIVE_REPLY');
    const rebooked = await call(suite.baseUrl, 'POST', 'v1/bookings', { token: operator.token, json: { prospectId, ...first } });
    expect(rebooked.status).toBe(201);
    expect(rebooked.body.bookingId).not.toBe(booked.body.bookingId);
    expect((await deal()).stage).toBe('MEETING_BOOKED');
    const history = await call<any[]>(suite.baseUrl, 'GET', `v1/bookings?prospectId=${prospectId}`, { token: operator.token });
    expect(history.body.map((booking) => booking.status).sort()).toEqual(['booked', 'cancelled']);
  });
});

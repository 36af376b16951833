import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdjustableClock } from '../clock/clock';
import { DemoSuite } from '@asep/local/demo-suite';
import { demoTenant } from '@asep/local/seed';
import { call } from '../../../tests/support/suite';
import type { CalendarProvider } from './calendar-provider';
import { prospectId } from '../prospects/prospects';

/*
 * A request that dies while it makes a meeting leaves the prospect's booking claim behind. Against the in-process
 * local suite, the calendar is made to fail the way a crash would (before, or right after, the event is made).
 */

let demo: DemoSuite;
let operator: string;
beforeAll(async () => {
  demo = await DemoSuite.start();
  operator = await demo.token('Operator');
});
afterAll(async () => demo?.close());

const idOf = (email: string) => prospectId(demo.tenantId, email);

async function offeredSlots(prospect: string): Promise<{ start: string; end: string }[]> {
  const { body } = await call(demo.baseUrl, 'GET', `v1/availability?prospectId=${prospect}&days=14`, { token: operator });
  expect(body.slots.length).toBeGreaterThan(8);
  return body.slots;
}

/** Books with the calendar crashing as `crash` says, as a process dying mid-request would leave things. */
async function bookThroughACrash(prospect: string, slot: { start: string; end: string }, crash: 'before the event' | 'after the event') {
  const calendar = demo.suite.services.calendar as CalendarProvider;
  const createMeeting = calendar.createMeeting.bind(calendar);
  calendar.createMeeting = async (...args) => {
    if (crash === 'after the event') await createMeeting(...args);
    throw new Error('the process died');
  };
  try {
    const failed = await call(demo.baseUrl, 'POST', 'v1/bookings', { token: operator, json: { prospectId: prospect, ...slot } });
    expect(failed.status).toBe(500);
  } finally {
    calendar.createMeeting = createMeeting;
  }
}

const book = (prospect: string, slot: { start: string; end: string }) =>
  call(demo.baseUrl, 'POST', 'v1/bookings', { token: operator, json: { prospectId: prospect, ...slot } });

describe('a booking claim left by a crashed request', () => {
  it('holds the prospect only for its lease, then lets a new booking through when no meeting was made', async () => {
    const prospect = idOf(demoTenant.prospects[0]!.email);
    const slots = await offeredSlots(prospect);
    await bookThroughACrash(prospect, slots[6]!, 'before the event');

    expect((await book(prospect, slots[7]!)).status).toBe(409);

    (demo.suite.services.clock as AdjustableClock).advance(3 * 60_000);
    const retried = await book(prospect, slots[7]!);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ status: 'booked', start: slots[7]!.start });
    const listed = (await call(demo.baseUrl, 'GET', `v1/bookings?prospectId=${prospect}`, { token: operator })).body;
    expect(listed.map((booking: { start: string }) => booking.start)).toEqual([slots[7]!.start]);
  });

  it('is finished from the calendar when the meeting was made, and a different slot is then refused', async () => {
    const prospect = idOf(demoTenant.prospects[2]!.email);
    const slots = await offeredSlots(prospect);
    await bookThroughACrash(prospect, slots[6]!, 'after the event');

    (demo.suite.services.clock as AdjustableClock).advance(3 * 60_000);
    const second = await book(prospect, slots[8]!);
    expect(second.status).toBe(409);
    expect(second.contentType).toContain('application/problem+json');
    expect(second.body.booking).toMatchObject({ status: 'booked', start: slots[6]!.start });

    const listed = (await call(demo.baseUrl, 'GET', `v1/bookings?prospectId=${prospect}`, { token: operator })).body;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ status: 'booked', start: slots[6]!.start, meetingId: expect.stringMatching(/\S/) });
    const booked = (await demo.audit('meeting.booked')).filter((event) => event.payload.prospectId === prospect);
    expect(booked).toHaveLength(1);
    const deals = (await call(demo.baseUrl, 'GET', 'v1/deals', { token: await demo.token('Manager') })).body;
    const items = Array.isArray(deals) ? deals : deals.items;
    expect(items.find((deal: { prospectId: string }) => deal.prospectId === prospect)).toMatchObject({ stage: 'MEETING_BOOKED' });
  });
});

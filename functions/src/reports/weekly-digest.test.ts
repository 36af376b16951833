import type { Attachment } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '@asep/teams-app/cards/card-conformance';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';
import { DemoSuite } from '@asep/local/demo-suite';
import type { ConnectorCall } from '@asep/local/fake-connector';
import { call, eventually } from '../../../tests/support/suite';
import { dueWeek } from './weekly-digest';

/*
 * The weekly digest against the in-process local suite: its timer runs off the suite's clock, which the test moves
 * with the dev route, and the card reaches the people's chats through the real adapter and a fake Bot Connector.
 */

let demo: DemoSuite;
const chats = { Manager: 'a:digest-manager', Operator: 'a:digest-operator' } as const;

beforeAll(async () => {
  demo = await DemoSuite.start();
  await demo.sendAtAnyHour();
  for (const [role, conversationId] of Object.entries(chats) as [keyof typeof chats, string][]) await demo.reachableInTeams(role, conversationId);
});
afterAll(async () => demo?.close());

const digestsIn = (conversationId: string): AdaptiveCard[] =>
  demo.connector
    .accepted(conversationId)
    .map((posted: ConnectorCall) => (posted.activity.attachments as Attachment[] | undefined)?.[0]?.content as AdaptiveCard | undefined)
    .filter((card): card is AdaptiveCard => card !== undefined && visibleText(card).startsWith('Weekly digest'));

async function advanceHours(hours: number): Promise<void> {
  expect((await call(demo.baseUrl, 'POST', 'dev/clock/advance', { json: { hours } })).status).toBe(200);
  await demo.notificationsSettled();
}

describe('the weekly Teams digest', () => {
  it('reaches the managers once a week with the ROI numbers of that week, and nobody who may not read reports', async () => {
    const manager = await demo.token('Manager');
    await demo.startDemoCampaign();
    const [first] = await demo.pendingApprovals(1, (approval) => approval.kind === 'first_touch');
    expect((await call(demo.baseUrl, 'POST', `v1/approvals/${first!.id}/approve`, { token: manager, json: {} })).status).toBe(200);
    await eventually(async () => ((await demo.outbox()).length >= 1 ? true : undefined), 'the approved first touch to be sent');

    // An hour on is not yet Monday morning after the week the tenant started in: nothing goes out.
    await advanceHours(1);
    expect(digestsIn(chats.Manager)).toEqual([]);

    await advanceHours(8 * 24);
    const week = dueWeek(demo.suite.services.clock.now());
    const [digest, ...more] = digestsIn(chats.Manager);
    expect(more).toEqual([]);
    expect(digestsIn(chats.Operator)).toEqual([]);
    const roi = (await call(demo.baseUrl, 'GET', `v1/reports/roi?from=${week.from}&to=${week.to}`, { token: manager })).body;
    expect(roi.totals.sent).toBeGreaterThanOrEqual(1);
    const text = visibleText(digest!);
    expect(text).toContain(`Weekly digest: ${week.from.slice(0, 10)} to ${week.to.slice(0, 10)}`);
    expect(text).toContain(`Sent: ${roi.totals.sent}`);
    expect(text).toContain(`Human replies: ${roi.totals.humanReplies}`);
    expect(text).toContain(`Time saved: ${roi.totals.timeSavedMinutes} min`);

    // The timer firing again in the same week posts nothing more; the next week brings the next digest.
    await advanceHours(2);
    expect(digestsIn(chats.Manager)).toHaveLength(1);
    await advanceHours(7 * 24);
    expect(digestsIn(chats.Manager)).toHaveLength(2);
  });
});

import type { Activity, Attachment } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '@asep/teams-app/cards/card-conformance';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';
import { eventually } from '../../../tests/support/suite';
import { personalConversationReference } from './conversation-references';
import { DemoSuite } from '@asep/local/demo-suite';
import { playgroundDefaults } from '@asep/local/playground-identity';

/*
 * POST /api/messages on the real local suite: the HTTP function, botbuilder's CloudAdapter (unauthenticated
 * locally), the bot and the backend, with a fake Bot Connector on 127.0.0.1 receiving whatever the bot sends.
 */

let demo: DemoSuite;

beforeAll(async () => {
  demo = await DemoSuite.start();
  await demo.sendAtAnyHour();
});
afterAll(async () => demo?.close());

function activityFrom(aadObjectId: string, conversationId: string, fields: Partial<Activity>, tenantId = demo.tenantId): Partial<Activity> {
  return {
    id: `activity-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: demo.connector.serviceUrl,
    timestamp: new Date(),
    from: { id: `29:${aadObjectId}`, name: 'Someone', aadObjectId },
    recipient: { id: '28:asep-bot', name: 'ASEP' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId, isGroup: false, name: '' },
    channelData: { tenant: { id: tenantId } },
    ...fields,
  };
}

async function post(body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${demo.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

function cardsPostedTo(conversationId: string): AdaptiveCard[] {
  return demo.connector
    .accepted(conversationId)
    .flatMap((call) => (call.activity.attachments as Attachment[] | undefined) ?? [])
    .map((attachment) => attachment.content as AdaptiveCard);
}

describe('POST /api/messages', () => {
  it('answers an Action.Execute with the replacement card in the HTTP response', async () => {
    const manager = demo.person('Manager').aadObjectId;
    const response = await post(
      activityFrom(manager, 'a:bench-chat', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'killswitch.refresh', data: { action: 'killswitch.refresh' } } },
      }),
    );

    expect(response.status).toBe(200);
    const body = response.body as { statusCode: number; type: string; value: AdaptiveCard };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(visibleText(body.value)).toContain('All sending: sending (switch off)');
  });

  it('rejects a body that is not an activity, and answers a card, not a crash, to a press without data', async () => {
    expect((await post('{"type": "message"')).status).toBe(400);
    expect((await post([{ type: 'message' }])).status).toBe(400);
    expect((await post({ text: 'no type' })).status).toBe(400);
    expect((await post({ type: 'message', text: 'from nowhere' })).status).toBe(400);
    const manager = demo.person('Manager').aadObjectId;
    const empty = await post(activityFrom(manager, 'a:chat', { type: 'invoke', name: 'adaptiveCard/action', value: {} }));
    expect(empty.status).toBe(200);
    expect(visibleText((empty.body as { value: AdaptiveCard }).value)).toMatch(/^That didn't work/);
  });

  it('remembers a personal chat when the app is installed, welcomes the user, and brings new approvals there', async () => {
    const manager = demo.person('Manager').aadObjectId;
    const installed = await post(activityFrom(manager, 'a:manager-chat', { type: 'installationUpdate', action: 'add' }));
    expect(installed.status).toBe(200);
    expect(cardsPostedTo('a:manager-chat').map(visibleText)).toEqual([expect.stringContaining('What I can do')]);
    expect(await personalConversationReference(demo.suite.services, demo.tenantId, manager)).toMatchObject({
      conversation: { id: 'a:manager-chat' },
    });

    await demo.startDemoCampaign();
    const pending = await demo.pendingApprovals(4);
    await eventually(async () => (cardsPostedTo('a:manager-chat').length > pending.length ? true : undefined), 'the approval cards');
    const approvalCards = cardsPostedTo('a:manager-chat').filter((card) => visibleText(card).startsWith('Approval needed'));
    expect(approvalCards.map((card) => /To: .*<(.+)>/.exec(visibleText(card))?.[1]).sort()).toEqual(pending.map((approval) => approval.to).sort());
  });

  it('forgets the chat when the app is uninstalled', async () => {
    const manager = demo.person('Manager').aadObjectId;
    expect((await post(activityFrom(manager, 'a:manager-chat', { type: 'installationUpdate', action: 'remove' }))).status).toBe(200);
    expect(await personalConversationReference(demo.suite.services, demo.tenantId, manager)).toBeUndefined();
  });

  it('remembers a team it is added to', async () => {
    const admin = demo.person('Admin').aadObjectId;
    const added = activityFrom(admin, '19:general@thread.tacv2', {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:asep-bot', name: 'ASEP' }],
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', tenantId: demo.tenantId, isGroup: true, name: 'General' },
      channelData: { tenant: { id: demo.tenantId }, team: { id: '19:team@thread.tacv2', name: 'Sales managers' } },
    });
    expect((await post(added)).status).toBe(200);
    const teams = await demo.suite.services.store.conversationReferences.query(demo.tenantId, "c.scope = 'team'");
    expect(teams).toEqual([
      expect.objectContaining({
        teamId: '19:team@thread.tacv2',
        reference: expect.objectContaining({ conversation: expect.objectContaining({ id: '19:general@thread.tacv2' }) }),
      }),
    ]);
  });

  it("treats the Agents Playground's built-in user as the demo Manager in the local suite", async () => {
    const asked = activityFrom(
      playgroundDefaults.currentUserAadObjectId,
      'a:playground-chat',
      { type: 'message', text: 'pending' },
      playgroundDefaults.tenantId,
    );
    expect((await post(asked)).status).toBe(200);
    const [count] = demo.connector.accepted('a:playground-chat').map((call) => call.activity.text);
    expect(count).toMatch(/^\*\*\d+\*\* approvals are waiting for a decision/);
  });
});

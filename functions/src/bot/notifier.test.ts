import type { Attachment } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '@asep/shared/approvals/approval';
import { anApproval } from '@asep/teams-app/cards/approval-fixture';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';
import { visibleText } from '@asep/teams-app/cards/card-conformance';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';
import { approvalCardReferences } from './conversation-references';
import { DemoSuite } from '@asep/local/demo-suite';
import type { ConnectorCall } from '@asep/local/fake-connector';
import { TeamsNotifier } from './notifier';

/*
 * Proactive delivery against the real store and audit log of an in-process local suite, through the real
 * CloudAdapter, to a fake Bot Connector on 127.0.0.1 that can throttle or fail on demand.
 */

let demo: DemoSuite;
const log: string[] = [];
let notifier: TeamsNotifier;
const chats: Record<'Manager' | 'Admin' | 'Operator' | 'Auditor', string> = {
  Manager: 'a:chat-manager',
  Admin: 'a:chat-admin',
  Operator: 'a:chat-operator',
  Auditor: 'a:chat-auditor',
};

beforeAll(async () => {
  demo = await DemoSuite.start();
  await demo.sendAtAnyHour();
  notifier = new TeamsNotifier({
    services: async () => demo.suite.services,
    retry: { attempts: 3, firstDelayMs: 150, maxDelayMs: 400 },
    log: (line) => log.push(line),
  });
  // The Owner and the RevOps lead may decide too, but have never talked to the bot: there is nowhere to reach them.
  for (const [role, conversationId] of Object.entries(chats) as [keyof typeof chats, string][]) {
    await demo.reachableInTeams(role, conversationId);
  }
});
afterAll(async () => demo?.close());

const approval = (id: string, overrides: Partial<Approval> = {}) => anApproval({ id, tenantId: demo.tenantId, ...overrides });

function cardOf(call: ConnectorCall): AdaptiveCard {
  return (call.activity.attachments as Attachment[])[0]!.content as AdaptiveCard;
}

/** What the connector accepted while `step` ran (and the notifier finished what it queued). */
async function during(step: () => Promise<void>): Promise<ConnectorCall[]> {
  const before = demo.connector.calls.length;
  await step();
  await notifier.idle();
  return demo.connector.calls.slice(before).filter((call) => call.status < 300);
}

const inChat = (calls: ConnectorCall[], role: keyof typeof chats) => calls.filter((call) => call.conversationId === chats[role]);

async function deliveryFailures(approvalId: string) {
  return (await demo.audit('bot.delivery_failed')).filter((event) => event.payload.approvalId === approvalId);
}

describe('TeamsNotifier', () => {
  let posted: ConnectorCall[];

  it('sends a new approval to the personal chat of every decider the bot can reach, and to nobody else', async () => {
    posted = await during(() => notifier.approvalCreated(approval('apr-notify-new')));

    expect(posted.map((call) => [call.method, call.conversationId]).sort()).toEqual([
      ['POST', chats.Admin],
      ['POST', chats.Manager],
    ]);
    for (const post of posted) expect(visibleText(cardOf(post))).toContain('Approval needed: First email to a new prospect');
    expect(await approvalCardReferences(demo.suite.services, demo.tenantId, 'apr-notify-new')).toHaveLength(2);
  });

  it('replaces each posted card with the outcome once the approval is decided', async () => {
    const decided = approval('apr-notify-new', {
      status: 'approved',
      decidedBy: { id: demo.person('Manager').aadObjectId, name: 'Max Manager' },
      decidedAt: '2025-03-14T10:00:00.000Z',
    });
    const updates = await during(() => notifier.approvalDecided(decided));

    expect(updates.map((call) => call.method)).toEqual(['PUT', 'PUT']);
    expect(updates.map((call) => call.activityId).sort()).toEqual(posted.map((call) => call.createdId).sort());
    for (const update of updates) expect(visibleText(cardOf(update))).toMatch(/^Approved\nBy: Max Manager/);
    expect(await approvalCardReferences(demo.suite.services, demo.tenantId, 'apr-notify-new')).toEqual([]);
  });
});

describe('TeamsNotifier and canaries', () => {
  const halted: CanaryReport = {
    campaignId: 'cmp-notify-canary',
    campaignName: 'Spring outreach',
    sent: 10,
    bounces: 2,
    unsubscribes: 0,
    negativeReplies: 0,
    thresholds: { bounceRate: 0.05, unsubscribeRate: 0.02, negativeRate: 0.1 },
    status: 'halted',
    decidedBy: 'Canary monitor',
    decidedAt: '2025-03-14T10:00:00.000Z',
  };

  it('sends a halted canary to everyone it can reach who may promote or halt campaigns, and to nobody else', async () => {
    const posted = await during(() => notifier.canaryHalted(demo.tenantId, halted));

    expect(posted.map((call) => [call.method, call.conversationId]).sort()).toEqual([
      ['POST', chats.Admin],
      ['POST', chats.Manager],
    ]);
    for (const post of posted) expect(visibleText(cardOf(post))).toMatch(/^Canary halted: Spring outreach\nBy: Canary monitor/);
  });

  it('retries a throttled canary card and audits the failed attempt against the campaign', async () => {
    demo.connector.failNext(chats.Manager, 429);
    const delivered = await during(() => notifier.canaryHalted(demo.tenantId, { ...halted, campaignId: 'cmp-notify-throttled' }));

    expect(inChat(delivered, 'Manager')).toHaveLength(1);
    const failures = (await demo.audit('bot.delivery_failed')).filter((event) => event.payload.campaignId === 'cmp-notify-throttled');
    expect(failures.map((event) => event.payload)).toEqual([
      expect.objectContaining({ operation: 'post', recipient: demo.person('Manager').aadObjectId, attempt: 1, status: 429, willRetry: true }),
    ]);
  });
});

describe('TeamsNotifier when Teams pushes back', () => {
  it('returns at once, then retries a throttled or refused send and audits each failed attempt', async () => {
    demo.connector.failNext(chats.Manager, 429, 412);
    const delivered = await during(async () => {
      const started = performance.now();
      await notifier.approvalCreated(approval('apr-notify-throttled'));
      expect(performance.now() - started).toBeLessThan(50);
    });

    expect(inChat(delivered, 'Manager')).toHaveLength(1);
    expect(inChat(delivered, 'Admin')).toHaveLength(1);
    const failures = await deliveryFailures('apr-notify-throttled');
    expect(failures.map((event) => event.payload)).toEqual([
      expect.objectContaining({ operation: 'post', recipient: demo.person('Manager').aadObjectId, attempt: 1, status: 429, willRetry: true }),
      expect.objectContaining({ operation: 'post', recipient: demo.person('Manager').aadObjectId, attempt: 2, status: 412, willRetry: true }),
    ]);
  });

  it('gives up after its bounded attempts, audits that, and still reaches everyone else', async () => {
    demo.connector.failNext(chats.Admin, 429, 429, 429);
    const delivered = await during(() => notifier.approvalCreated(approval('apr-notify-down')));

    expect(inChat(delivered, 'Admin')).toEqual([]);
    expect(inChat(delivered, 'Manager')).toHaveLength(1);
    const failures = await deliveryFailures('apr-notify-down');
    expect(failures.map((event) => [event.payload.attempt, event.payload.status, event.payload.willRetry])).toEqual([
      [1, 429, true],
      [2, 429, true],
      [3, 429, false],
    ]);
    expect(JSON.stringify(failures)).not.toMatch(/serviceUrl|127\.0\.0\.1|Bearer/);
  });

  it('posts the outcome as a new message when the card it posted can no longer be updated', async () => {
    await during(() => notifier.approvalCreated(approval('apr-notify-deleted')));
    demo.connector.failNext(chats.Manager, 404);
    const outcome = await during(() =>
      notifier.approvalDecided(
        approval('apr-notify-deleted', { status: 'rejected', decidedBy: { id: 'someone', name: 'Rita RevOps' }, reason: 'Wrong persona' }),
      ),
    );

    expect(inChat(outcome, 'Manager').map((call) => call.method)).toEqual(['POST']);
    expect(inChat(outcome, 'Admin').map((call) => call.method)).toEqual(['PUT']);
    for (const call of outcome) expect(visibleText(cardOf(call))).toMatch(/^Rejected\nBy: Rita RevOps/);
  });

  it('never fails its caller, even when it cannot read the store', async () => {
    const broken = new TeamsNotifier({ services: () => Promise.reject(new Error('Cosmos DB is unreachable')), log: (line) => log.push(line) });
    await expect(broken.approvalCreated(approval('apr-notify-broken'))).resolves.toBeUndefined();
    await broken.idle();
    expect(log).toContainEqual(expect.stringContaining('notifying about approval apr-notify-broken failed: Cosmos DB is unreachable'));
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '@asep/shared/approvals/approval';
import { executeButtons, expectValidCard, visibleText } from '@asep/teams-app/cards/card-conformance';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';
import { deliveryReport } from '../../../tests/e2e/deliverability-support';
import { call, eventually, sleep } from '../../../tests/support/suite';
import { demoTenant } from '@asep/local/seed';
import { DemoSuite } from '@asep/local/demo-suite';
import type { TeamsChat } from './teams-chat';

/*
 * Canary cards against the real local suite: canaries are started over the API as a Manager would, the card's
 * Promote and Halt go through the bot's backend, and what follows (other prospects' first emails waiting for
 * approval, kill switches, the audit log, cards posted to the managers' chats) is read back from the suite.
 */

let demo: DemoSuite;
let manager: TeamsChat;
let operator: TeamsChat;

const promote = 'Promote to full campaign';
const halt = 'Halt campaign';

beforeAll(async () => {
  demo = await DemoSuite.start();
  await demo.sendAtAnyHour();
  manager = await demo.chatAs('Manager');
  operator = await demo.chatAs('Operator');
  // Saying something is what lets the bot reach a person later.
  await manager.say('help');
  await operator.say('help');
});
afterAll(async () => demo?.close());
afterEach(() => {
  expect(demo.botFailures).toEqual([]);
  expect(demo.suiteLog).toEqual([]);
});

/** A new campaign of the demo prospects with these emails (in this order), started with a canary of the first one. */
async function startCanary(name: string, emails: string[]): Promise<string> {
  const revops = await demo.token('RevOps');
  const { body: campaign } = await call<{ id: string }>(demo.baseUrl, 'POST', 'v1/campaigns', {
    token: revops,
    json: { name, mailbox: demoTenant.mailbox, sequence: { steps: [{ type: 'email', subject: 'Hello {{firstName}}', body: 'A short idea.' }] } },
  });
  const { body: prospects } = await call<{ id: string; email: string }[]>(demo.baseUrl, 'GET', 'v1/prospects', { token: revops });
  const prospectIds = emails.map((email) => prospects.find((prospect) => prospect.email === email)!.id);
  await call(demo.baseUrl, 'POST', `v1/campaigns/${campaign.id}/prospects`, { token: revops, json: { prospectIds } });
  const started = await call(demo.baseUrl, 'POST', `v1/campaigns/${campaign.id}/start`, {
    token: await demo.token('Manager'),
    json: { canary: { size: 1 } },
  });
  expect(started.status).toBe(202);
  return campaign.id;
}

async function canaryStatus(campaignId: string): Promise<string> {
  return (await call(demo.baseUrl, 'GET', `v1/campaigns/${campaignId}/canary`, { token: await demo.token('Manager') })).body.status;
}

async function campaignKillSwitch(campaignId: string): Promise<{ active: boolean; reason: string } | undefined> {
  return (await call(demo.baseUrl, 'GET', 'v1/killswitch', { token: await demo.token('Manager') })).body.campaigns[campaignId];
}

async function pendingTo(campaignId: string): Promise<string[]> {
  return (await demo.approvals('pending')).filter((approval: Approval) => approval.campaignId === campaignId).map((approval) => approval.to!);
}

async function audited(type: string, campaignId: string): Promise<number> {
  return (await demo.audit(type)).filter((event) => event.payload.campaignId === campaignId).length;
}

const buttonTitles = (card: AdaptiveCard) => executeButtons(card).map((button) => button.title);

describe('canary cards', () => {
  let promoted: string;
  let runningCard: AdaptiveCard;

  it('refreshes to the canary as it stands, with Promote and Halt while it runs', async () => {
    promoted = await startCanary('Promote drill', ['ravi.patel@northwind.example', 'lena.fischer@adatum.example']);
    runningCard = await manager.invoke({ action: 'canary.refresh', campaignId: promoted });

    expect(visibleText(runningCard)).toMatch(/^Canary: Promote drill\nSent to \*\*0\*\* prospects\. Nothing has been sent yet\./);
    expect(buttonTitles(runningCard)).toEqual(expect.arrayContaining([promote, halt]));
    expect(visibleText(await manager.invoke({ action: 'canary.refresh', campaignId: 'cmp-does-not-exist' }))).toContain(
      'That campaign was not found',
    );
  });

  it('promotes when Promote is pressed: the rest of the campaign gets its first emails, waiting for approval', async () => {
    await demo.pendingApprovals(1, (approval) => approval.campaignId === promoted);
    expect(await pendingTo(promoted)).toEqual(['ravi.patel@northwind.example']);

    const outcome = await manager.press(runningCard, promote);

    expect(visibleText(outcome)).toMatch(/^Canary promoted: Promote drill\nBy: Max Manager\nDecided \{\{DATE\(/);
    expect(executeButtons(outcome)).toEqual([]);
    expect(await canaryStatus(promoted)).toBe('promoted');
    const everyone = await eventually(async () => {
      const pending = await pendingTo(promoted);
      return pending.length === 2 ? pending : undefined;
    }, 'the rest of the campaign to start');
    expect(everyone.sort()).toEqual(['lena.fischer@adatum.example', 'ravi.patel@northwind.example']);
  });

  it('changes nothing when Promote is pressed a second time, and says nothing more than that it is promoted', async () => {
    const again = await manager.press(runningCard, promote);

    expect(visibleText(again)).toMatch(/^Canary promoted: Promote drill\nBy: Max Manager/);
    await sleep(300);
    expect(await audited('canary.promoted', promoted)).toBe(1);
    expect(await pendingTo(promoted)).toHaveLength(2);
  });

  it('explains why Halt on a canary that was promoted meanwhile changed nothing, and keeps the campaign sending', async () => {
    const late = await manager.press(runningCard, halt);

    expect(visibleText(late)).toMatch(
      /^The canary of Promote drill was already promoted by Max Manager; nothing was changed\.\nCanary promoted: Promote drill/,
    );
    expect(await canaryStatus(promoted)).toBe('promoted');
    expect(await campaignKillSwitch(promoted)).toBeUndefined();
  });
});

describe('halting a canary from its card', () => {
  let halted: string;
  let runningCard: AdaptiveCard;

  it('halts when Halt is pressed: the campaign kill switch goes on and the card says who halted it', async () => {
    halted = await startCanary('Halt drill', ['marco.rossi@litware.example', 'lena.fischer@adatum.example']);
    runningCard = await manager.invoke({ action: 'canary.refresh', campaignId: halted });

    const outcome = await manager.press(runningCard, halt);

    expect(visibleText(outcome)).toMatch(/^Canary halted: Halt drill\nBy: Max Manager/);
    expect(executeButtons(outcome)).toEqual([]);
    expect(await canaryStatus(halted)).toBe('halted');
    expect(await campaignKillSwitch(halted)).toMatchObject({ active: true, reason: 'canary halted: halted by Max Manager' });
  });

  it('changes nothing when Halt is pressed a second time', async () => {
    const again = await manager.press(runningCard, halt);

    expect(visibleText(again)).toMatch(/^Canary halted: Halt drill\nBy: Max Manager/);
    expect(await audited('canary.halted', halted)).toBe(1);
  });

  it('refuses Promote while the kill switch it turned on is still on, says what to do, and starts nobody else', async () => {
    const refused = await manager.press(runningCard, promote);

    expectValidCard(refused);

    expect(visibleText(refused)).toMatch(
      /^The canary halted Halt drill \(halted by Max Manager\)\. Look into it and release the campaign's kill switch before promoting\.\nCanary halted: Halt drill/,
    );
    expect(await canaryStatus(halted)).toBe('halted');
    await sleep(300);
    expect(await pendingTo(halted)).not.toContain('lena.fischer@adatum.example');
    expect(await audited('canary.promoted', halted)).toBe(0);
  });
});

describe('canary cards for an Operator', () => {
  it('shows an Operator the canary without Promote and Halt, refuses a press from an older card above the canary, and it keeps running', async () => {
    const campaignId = await startCanary('Operator drill', ['lena.fischer@adatum.example', 'ravi.patel@northwind.example']);
    const card = await operator.invoke({ action: 'canary.refresh', campaignId });
    expect(visibleText(card)).toMatch(/^Canary: Operator drill/);
    expect(executeButtons(card).map((button) => button.title)).not.toContain(promote);
    expect(visibleText(card)).toContain("You can't start, stop, promote or halt campaigns here: that needs Owner, Admin, RevOps, Manager.");

    for (const action of ['canary.promote', 'canary.halt']) {
      const refusal = await operator.invoke({ action, campaignId });
      expect(visibleText(refusal)).toMatch(
        /^You can't start, stop, promote or halt campaigns\. That needs one of these roles: Owner, Admin, RevOps, Manager\./,
      );
      expect(visibleText(refusal)).toContain('Canary: Operator drill');
    }
    expect(await canaryStatus(campaignId)).toBe('running');
    expect(await campaignKillSwitch(campaignId)).toBeUndefined();
  });
});

describe('a canary that halts itself', () => {
  it("sends the halted canary's card to the Managers it can reach, and to no Operator", async () => {
    const started = await call(demo.baseUrl, 'POST', `v1/campaigns/${demoTenant.campaignId}/start`, {
      token: await demo.token('Manager'),
      json: { canary: { size: 1 } },
    });
    expect(started.status).toBe(202);
    const jane = 'jane.doe@fabrikam.example';
    const [approval] = await demo.pendingApprovals(1, (candidate) => candidate.campaignId === demoTenant.campaignId);
    expect(approval!.to).toBe(jane);
    await call(demo.baseUrl, 'POST', `v1/approvals/${approval!.id}/approve`, { token: await demo.token('Manager'), json: {} });
    const [sent] = await eventually(async () => {
      const outbox = await demo.outbox(jane);
      return outbox.length > 0 ? outbox : undefined;
    }, 'the canary email to leave');

    const bounce = deliveryReport(jane, 'hard');
    await call(demo.baseUrl, 'POST', 'dev/mailbox/inbound', {
      json: {
        tenantId: demo.tenantId,
        from: 'mailer-daemon@fabrikam.example',
        to: demoTenant.mailbox,
        subject: 'Undelivered Mail Returned to Sender',
        body: bounce.body,
        headers: bounce.headers,
        inReplyTo: sent!.internetMessageId,
      },
    });

    const chatOf = (role: 'Manager' | 'Operator') => `a:personal-${demo.person(role).aadObjectId}`;
    const canaryCardsIn = (role: 'Manager' | 'Operator') =>
      demo.connector
        .accepted(chatOf(role))
        .map((call) => call.activity.attachments?.[0]?.content as AdaptiveCard | undefined)
        .filter((card): card is AdaptiveCard => card !== undefined && visibleText(card).startsWith('Canary'));
    const [posted] = await eventually(async () => {
      await demo.notificationsSettled();
      const cards = canaryCardsIn('Manager');
      return cards.length > 0 ? cards : undefined;
    }, 'the halted canary card in the Manager chat');

    expect(visibleText(posted!)).toMatch(/^Canary halted: Q4 pilot: pipeline hygiene\nBy: Canary monitor/);
    expect(visibleText(posted!)).toContain('Bounces (over)');
    expect(executeButtons(posted!)).toEqual([]);
    expect(canaryCardsIn('Manager')).toHaveLength(1);
    expect(canaryCardsIn('Operator')).toEqual([]);
  });
});

import type { Activity } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '@asep/shared/approvals/approval';
import { executeButtons, visibleText } from '@asep/teams-app/cards/card-conformance';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';
import { call, eventually, sleep } from '../../../tests/support/suite';
import { DemoSuite } from '@asep/local/demo-suite';
import { cardsIn, type TeamsChat } from './teams-chat';

/*
 * The bot's card actions, driven through botbuilder's TestAdapter against the real local suite: approvals come
 * from starting the demo campaign, decisions go through the same backend functions as the API, and what a user
 * would notice (emails in the sandbox outbox, approvals' state, deals, kill switches) is read back over HTTP.
 */

let demo: DemoSuite;
let manager: TeamsChat;
let pending: Approval[];

const jane = 'jane.doe@fabrikam.example';
const ravi = 'ravi.patel@northwind.example';
const lena = 'lena.fischer@adatum.example';
const marco = 'marco.rossi@litware.example';

beforeAll(async () => {
  demo = await DemoSuite.start();
  await demo.sendAtAnyHour();
  await demo.startDemoCampaign();
  pending = await demo.pendingApprovals(4, (approval) => approval.kind === 'first_touch');
  manager = await demo.chatAs('Manager');
});
afterAll(async () => demo?.close());
afterEach(() => {
  expect(demo.botFailures).toEqual([]);
  expect(demo.suiteLog).toEqual([]);
});

function approvalTo(email: string): Approval {
  const approval = pending.find((candidate) => candidate.to === email);
  if (!approval) throw new Error(`no approval for ${email}; pending: ${pending.map((candidate) => candidate.to).join(', ')}`);
  return approval;
}

/** The card about this approval among the bot's answer to `pending`. */
function cardAbout(replies: Partial<Activity>[], approval: Approval): AdaptiveCard {
  const card = cardsIn(replies).find((candidate) =>
    executeButtons(candidate).some((button) => 'approvalId' in button.data && button.data.approvalId === approval.id),
  );
  if (!card) throw new Error(`no card about ${approval.id} among ${cardsIn(replies).length} cards`);
  return card;
}

async function sentTo(email: string): Promise<number> {
  return (await demo.outbox(email)).length;
}

describe('approval cards', () => {
  let janeCard: AdaptiveCard;

  it('answers "pending" with how many approvals wait and one card per approval', async () => {
    const replies = await manager.say('pending');
    expect(replies[0]?.text).toContain('**4** approvals are waiting for a decision');
    expect(cardsIn(replies)).toHaveLength(4);
    for (const approval of pending) expect(visibleText(cardAbout(replies, approval))).toContain(`To: ${approval.prospectName} <${approval.to}>`);
    janeCard = cardAbout(replies, approvalTo(jane));
  });

  it('shows the researched sentence of the demo tenant’s first touch with its fact, source and read date, and who drafted it', async () => {
    const text = visibleText(janeCard);
    const approval = approvalTo(jane);
    const cited = approval.evidence.sentences?.find((sentence) => sentence.factIds.length > 0);
    const fact = approval.evidence.facts.find((candidate) => candidate.id === cited?.factIds[0]);

    expect(approval.body).toContain(cited!.text);
    expect(text).toContain("Drafted offline by ASEP's rules from the campaign's template: no Azure OpenAI deployment is configured for this tenant.");
    expect(text).toContain(`“${cited!.text}”`);
    expect(text).toContain(`${fact!.fact} (${fact!.source} · ${fact!.url ?? fact!.recordId} · retrieved ${fact!.retrievedAt!.slice(0, 10)})`);
    // The seeded sources are what research found: Fabrikam's site on the sandbox web and the note in the CRM.
    expect(approval.evidence.facts.map((candidate) => candidate.source)).toEqual(expect.arrayContaining(['website', 'crm']));
    expect(approval.evidence.facts.map((candidate) => candidate.fact)).toEqual(
      expect.arrayContaining(['Jane said follow-ups slip whenever the team is travelling to trade shows.']),
    );
  });

  it('sends exactly one email once Approve is pressed, and shows who approved instead of the buttons', async () => {
    const outcome = await manager.press(janeCard, 'Approve');

    expect(visibleText(outcome)).toMatch(/^Approved\nBy: Max Manager\nApproved \{\{DATE\(/);
    expect(executeButtons(outcome)).toEqual([]);
    await eventually(async () => ((await sentTo(jane)) > 0 ? true : undefined), 'the approved email to leave');
    expect(await sentTo(jane)).toBe(1);
  });

  it('replaces the card it showed in the chat with the outcome, for anyone else looking at that chat', async () => {
    await demo.notificationsSettled();
    const updates = demo.connector.accepted(`a:personal-${demo.person('Manager').aadObjectId}`).filter((call) => call.method === 'PUT');
    expect(updates).toHaveLength(1);
    for (const update of updates) {
      const replaced = update.activity.attachments![0]!.content as AdaptiveCard;
      expect(visibleText(replaced)).toMatch(/^Approved\nBy: Max Manager/);
      expect(visibleText(replaced)).toContain(`To: Jane Doe <${jane}>`);
    }
  });

  it('changes nothing when Approve is pressed a second time: still one email and one audited decision', async () => {
    const again = await manager.press(janeCard, 'Approve');

    expect(visibleText(again)).toMatch(/^Approved\nBy: Max Manager/);
    await sleep(500);
    expect(await sentTo(jane)).toBe(1);
    const decisions = (await demo.audit('approval.approved')).filter((event) => event.payload.approvalId === approvalTo(jane).id);
    expect(decisions).toHaveLength(1);
  });

  it('shows another decider who pressed Reject on the same card that it was already approved, and keeps it approved', async () => {
    const admin = await demo.chatAs('Admin');
    const seen = await admin.press(janeCard, 'Reject', { reason: 'Not this quarter' });

    expect(visibleText(seen)).toMatch(/^Approved\nBy: Max Manager/);
    expect((await demo.approval(approvalTo(jane).id)).status).toBe('approved');
    expect((await demo.audit('approval.rejected')).filter((event) => event.payload.approvalId === approvalTo(jane).id)).toEqual([]);
  });

  it('rejects with the reason typed on the card, shows it, and sends nothing', async () => {
    const approval = approvalTo(ravi);
    const card = cardAbout(await manager.say('pending'), approval);
    const outcome = await manager.press(card, 'Reject', { reason: 'Northwind is already talking to our partner team' });

    expect(visibleText(outcome)).toMatch(/^Rejected\nBy: Max Manager/);
    expect(visibleText(outcome)).toContain('Reason: Northwind is already talking to our partner team');
    expect(await demo.approval(approval.id)).toMatchObject({ status: 'rejected', reason: 'Northwind is already talking to our partner team' });
    await sleep(500);
    expect(await sentTo(ravi)).toBe(0);
  });

  it('refuses an Operator who presses Approve, and the approval stays pending', async () => {
    const approval = approvalTo(lena);
    const card = cardAbout(await manager.say('pending'), approval);
    const operator = await demo.chatAs('Operator');
    const refusal = await operator.press(card, 'Approve');

    expect(visibleText(refusal)).toContain("You can't approve or reject.");
    expect(visibleText(refusal)).toContain('Owner, Admin, RevOps, Manager');
    expect((await demo.approval(approval.id)).status).toBe('pending');
    await sleep(300);
    expect(await sentTo(lena)).toBe(0);
    expect(cardsIn(await operator.say('pending')).map(visibleText)).toEqual([expect.stringContaining("You can't see approvals.")]);
  });

  it('answers malformed or forged button data with an error card and changes nothing', async () => {
    const approval = approvalTo(lena);
    const garbage: unknown[] = [
      undefined,
      'approve everything',
      [approval.id],
      { approvalId: approval.id },
      { action: 'approval.approve' },
      { action: 'approval.approve', approvalId: 42 },
      { action: 'approval.reject', approvalId: approval.id },
      { action: 'approval.reject', approvalId: approval.id, reason: '   ' },
      { action: 'format.disk', approvalId: approval.id },
      { action: 'deal.create', approvalId: approval.id, stage: 'QUALIFIED', amount: 'lots' },
      // A well-formed action for the wrong kind of approval: deal buttons never decide an email.
      { action: 'deal.create', approvalId: approval.id, stage: 'QUALIFIED' },
    ];
    for (const data of garbage) {
      const card = await manager.invoke(data);
      expect(visibleText(card), JSON.stringify(data)).toMatch(/^That didn't work\n[\s\S]*Nothing was changed/);
    }
    const missing = await manager.invoke({ action: 'approval.approve', approvalId: 'apr-does-not-exist' });
    expect(visibleText(missing)).toContain('That approval was not found');

    expect((await demo.approval(approval.id)).status).toBe('pending');
    expect(await sentTo(lena)).toBe(0);
  });

  it('refreshes a card to the approval as it stands now', async () => {
    const refreshed = await manager.invoke({ action: 'refresh', approvalId: approvalTo(ravi).id });
    expect(visibleText(refreshed)).toMatch(/^Rejected\nBy: Max Manager/);
    const stillPending = await manager.invoke({ action: 'refresh', approvalId: approvalTo(lena).id });
    expect(visibleText(stillPending)).toMatch(/^Approval needed: First email to a new prospect/);
    expect(executeButtons(stillPending).map((button) => button.title)).toEqual(expect.arrayContaining(['Approve', 'Reject']));
  });
});

describe('text commands', () => {
  it('answers "status" with each campaign, its state and today\'s numbers', async () => {
    const [card] = cardsIn(await manager.say('Status'));
    const text = visibleText(card!);
    expect(text).toContain('Q4 pilot: pipeline hygiene: running');
    expect(text).toContain('Sent today: 1');
    expect(text).toContain('Awaiting approval: 2');
  });

  it('lists what it can do for "help", and says so when it does not understand', async () => {
    expect(visibleText(cardsIn(await manager.say('help'))[0]!)).toContain('pending: Show the approvals waiting for a decision');
    const [confused] = cardsIn(await manager.say('approve all of them'));
    expect(visibleText(confused!)).toMatch(/^I don't know "approve all of them"\.\nWhat I can do/);
  });
});

describe('kill switch cards', () => {
  async function killSwitch() {
    return (await call(demo.baseUrl, 'GET', 'v1/killswitch', { token: await demo.token('Manager') })).body;
  }

  it('asks the clicker to confirm a stop, changes nothing until confirmed, then stops the campaign', async () => {
    const [card] = cardsIn(await manager.say('kill switch'));
    expect(visibleText(card!)).toContain('Campaign: Q4 pilot: pipeline hygiene (running): sending (switch off)');

    const confirm = await manager.press(card!, 'Stop campaign', { reason: 'Bounce rate spiked after the DNS change' });
    expect(visibleText(confirm)).toMatch(/^Turn the kill switch ON for campaign "Q4 pilot: pipeline hygiene"\?/);
    expect((await killSwitch()).campaigns['cmp-demo-q4-pilot']).toBeUndefined();

    const stopped = await manager.press(confirm, 'Yes, stop sending');
    expect(visibleText(stopped)).toContain('Campaign: Q4 pilot: pipeline hygiene (running): STOPPED (switch on)');
    expect((await killSwitch()).campaigns['cmp-demo-q4-pilot']).toMatchObject({
      active: true,
      changedBy: 'Max Manager',
      reason: 'Bounce rate spiked after the DNS change',
    });

    const resume = await manager.press(stopped, 'Resume campaign', { reason: 'DNS fixed' });
    const resumed = await manager.press(resume, 'Yes, resume sending');
    expect(visibleText(resumed)).toContain('Campaign: Q4 pilot: pipeline hygiene (running): sending (switch off)');
    expect((await killSwitch()).campaigns['cmp-demo-q4-pilot']).toMatchObject({ active: false });
    // Off at once; the held sequences wake in the background, and the refreshed card says how many did.
    expect(visibleText(resumed)).toContain('Resuming the sequences it held…');
    const released = await eventually(
      async () => (await demo.audit('killswitch.released')).find((event) => event.payload.campaignId === 'cmp-demo-q4-pilot'),
      'the release to finish',
    );
    const count = released.payload.sequencesResumed as number;
    expect(count).toBeGreaterThan(0);
    const refreshed = visibleText(await manager.invoke({ action: 'killswitch.refresh' }));
    expect(refreshed).toContain(`${count} held ${count === 1 ? 'sequence' : 'sequences'} resumed.`);
    expect(refreshed).not.toContain('Resuming the sequences it held…');
  });

  it('does not offer a Manager "Stop all sending"; pressed anyway on an older card, it is refused above the switches, which stay', async () => {
    const [card] = cardsIn(await manager.say('kill switch'));
    expect(executeButtons(card!).map((button) => button.title)).not.toContain('Stop all sending');
    expect(visibleText(card!)).toContain("You can't turn the kill switch for all sending on or off here: that needs Owner, Admin.");

    const refusal = await manager.invoke({ action: 'killswitch.request', scope: 'tenant', active: true, reason: 'Panic' });
    expect(visibleText(refusal)).toMatch(/^You can't turn the kill switch for all sending on or off\. That needs one of these roles: Owner, Admin\./);
    expect(visibleText(refusal)).toContain('All sending: sending (switch off)');
    expect(executeButtons(refusal).map((button) => button.title)).toContain('Stop campaign');
    expect((await killSwitch()).tenant?.active ?? false).toBe(false);
  });
});

describe('an approval under the kill switch', () => {
  async function tenantSwitch(active: boolean) {
    const change = { scope: 'tenant', active, reason: active ? 'Incident drill' : 'Drill over' };
    const changed = await call(demo.baseUrl, 'PUT', 'v1/killswitch', { token: await demo.token('Admin'), json: change });
    // Turned off, it answers at once (202) and wakes the held sequences in the background.
    expect(changed.status).toBe(active ? 200 : 202);
  }

  it('says "Approved — held by the kill switch", sends nothing, and updates the card once the email is finally sent', async () => {
    await tenantSwitch(true);
    const approval = approvalTo(lena);
    const card = cardAbout(await manager.say('pending'), approval);
    const held = await manager.press(card, 'Approve');
    expect(visibleText(held)).toMatch(/^Approved — held by the kill switch\nBy: Max Manager/);
    expect(held.refresh?.action.data).toEqual({ action: 'refresh', approvalId: approval.id });
    await sleep(500);
    expect(await sentTo(lena)).toBe(0);
    expect(visibleText(await manager.invoke({ action: 'refresh', approvalId: approval.id }))).toMatch(/^Approved — held by the kill switch/);

    await tenantSwitch(false);
    await eventually(async () => ((await sentTo(lena)) > 0 ? true : undefined), 'the held email to leave');
    const sentCard = await eventually(async () => {
      await demo.notificationsSettled();
      const updates = demo.connector.accepted(`a:personal-${demo.person('Manager').aadObjectId}`).filter((call) => call.method === 'PUT');
      return updates
        .map((update) => update.activity.attachments![0]!.content as AdaptiveCard)
        .find((content) => visibleText(content).includes(`To: Lena`) && visibleText(content).includes('Held by the kill switch, then sent'));
    }, 'the card updated once the email was sent');
    expect(visibleText(sentCard)).toMatch(/^Approved\nBy: Max Manager/);
    expect(await sentTo(lena)).toBe(1);
  });
});

describe('"Create deal?" cards', () => {
  it('creates the deal with the stage and amount chosen on the card', async () => {
    const admin = await demo.token('Admin');
    const { body: policy } = await call(demo.baseUrl, 'GET', 'v1/policies', { token: admin });
    // Every positive reply asks a Manager, so the classifier's confidence cannot skip the prompt.
    const rules = { ...policy.rules, deals: { ...policy.rules.deals, askThreshold: 0, createThreshold: 1 } };
    expect((await call(demo.baseUrl, 'PUT', 'v1/policies', { token: admin, json: { rules, version: policy.version } })).status).toBe(200);
    const [sent] = await demo.outbox(jane);
    const reply = await call(demo.baseUrl, 'POST', 'dev/mailbox/inbound', {
      json: {
        tenantId: demo.tenantId,
        from: jane,
        to: 'sales@demo.asep.local',
        subject: `Re: ${sent!.subject}`,
        body: 'Yes, this is interesting. Could we talk on Thursday afternoon? Please send me an invite.',
        inReplyTo: sent!.internetMessageId,
      },
    });
    expect(reply.status).toBe(202);
    const [prompt] = await demo.pendingApprovals(1, (approval) => approval.kind === 'deal_create');

    const card = cardAbout(await manager.say('pending'), prompt!);
    expect(visibleText(card)).toContain('Create deal?');
    const outcome = await manager.press(card, 'Create deal', { stage: 'QUALIFIED', amount: '12500' });

    expect(visibleText(outcome)).toMatch(/^Deal created\nBy: Max Manager/);
    expect(visibleText(outcome)).toContain('Stage: Qualified\nAmount: 12,500');
    const deals = await eventually(async () => {
      const { body } = await call<{ contactEmail: string; stage: string; amount?: number }[]>(demo.baseUrl, 'GET', 'v1/deals', {
        token: await demo.token('Manager'),
      });
      return body.length > 0 ? body : undefined;
    }, 'the deal');
    expect(deals).toEqual([expect.objectContaining({ contactEmail: jane, stage: 'QUALIFIED', amount: 12500 })]);
  });
});

describe('expired approvals', () => {
  it('shows an expired approval as expired and does not send when Approve is pressed late', async () => {
    const approval = approvalTo(marco);
    const card = cardAbout(await manager.say('pending'), approval);
    await call(demo.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: 80 } });
    await eventually(async () => ((await demo.approval(approval.id)).status === 'expired' ? true : undefined), 'the approval to expire');

    const late = await manager.press(card, 'Approve');

    expect(visibleText(late)).toMatch(/^Expired\nNo one decided before/);
    expect(executeButtons(late)).toEqual([]);
    await sleep(500);
    expect((await demo.approval(approval.id)).status).toBe('expired');
    expect(await sentTo(marco)).toBe(0);
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFirstRenderGzipKb, firstRenderFiles, readConsoleManifest } from '../../bench/console-bundle';
import { demoTenant } from '../../local/src/seed';
import type { Approval } from '@asep/shared/approvals/approval';
import { call, eventually, repoRoot, signIn, sleep, type Person } from '../support/suite';
import { sendAtAnyHour } from '../support/governed-loop';
import { descriptionOf, seriousAccessibilityViolations, settled, startConsoleHarness, type ConsoleHarness } from './console-harness';

const { tenantId } = demoTenant;
const recipient = (email: string) => {
  const prospect = demoTenant.prospects.find((candidate) => candidate.email === email)!;
  return `${prospect.firstName} ${prospect.lastName} <${prospect.email}>`;
};

let harness: ConsoleHarness;
let manager: Person;
let revops: Person;
let admin: Person;

async function outboxTo(email: string): Promise<{ to: string; subject: string }[]> {
  return (await call(harness.suite.baseUrl, 'GET', `dev/mailbox/outbox?tenantId=${tenantId}&to=${encodeURIComponent(email)}`)).body;
}

/** The demo campaign running, with a first-touch approval waiting for each prospect the policy lets through. */
let demoCampaignStarted: Promise<void> | undefined;
function startDemoCampaign(): Promise<void> {
  demoCampaignStarted ??= (async () => {
    await sendAtAnyHour(harness.suite.baseUrl, await signIn(harness.suite.baseUrl, tenantId, ['Admin']));
    const started = await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${demoTenant.campaignId}/start`, { token: manager.token, json: {} });
    expect(started.status).toBe(202);
    await eventually(async () => {
      const { body } = await call<{ to: string }[]>(harness.suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: manager.token });
      return body.length >= 4 ? body : undefined;
    }, 'first-touch approvals for the demo prospects');
  })();
  return demoCampaignStarted;
}

function article(page: Page, email: string) {
  return page.getByRole('article', { name: recipient(email) });
}

beforeAll(async () => {
  harness = await startConsoleHarness();
  const person = (role: string) => signIn(harness.suite.baseUrl, tenantId, [role], `${role} in test`);
  [manager, revops, admin] = await Promise.all([person('Manager'), person('RevOps'), person('Admin')]);
});

afterAll(async () => {
  await harness?.close();
});

describe('console tab in a plain browser', () => {
  it('signs in as the demo Manager by default and offers only the pages a Manager may use', async () => {
    const page = await harness.open({});
    await page.getByText('Max Manager · Manager').waitFor();
    const tabs = await page.getByRole('tab').allInnerTexts();
    expect(tabs).toEqual(['Approvals', 'Campaigns', 'Prospects', 'Deals', 'Replies', 'Kill switch', 'ROI']);
    await page.close();
  });

  it('explains instead of showing a page the role may not open', async () => {
    const page = await harness.open({ role: 'Manager', pageId: 'audit' });
    await page.getByText('Audit needs one of the roles Owner, Admin, Auditor; you have Manager.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    await page.close();
  });
});

describe('approvals', () => {
  it('approving a first email sends exactly that email and takes it off the pending list', async () => {
    await startDemoCampaign();
    const page = await harness.open({ role: 'Manager', pageId: 'approvals' });
    const jane = article(page, 'jane.doe@fabrikam.example');
    await jane.waitFor();
    expect(await outboxTo('jane.doe@fabrikam.example')).toEqual([]);

    await jane.getByRole('button', { name: 'Approve', exact: true }).click();

    await jane.waitFor({ state: 'detached' });
    await page.getByText(`Approved: the email to ${recipient('jane.doe@fabrikam.example')} is on its way.`).waitFor();
    const sent = await eventually(async () => {
      const messages = await outboxTo('jane.doe@fabrikam.example');
      return messages.length > 0 ? messages : undefined;
    }, 'the approved email in the sandbox outbox');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('Pipeline hygiene at Fabrikam');
    expect(await outboxTo('ravi.patel@northwind.example')).toEqual([]);
    const { body: pending } = await call<{ to: string }[]>(harness.suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: manager.token });
    expect(pending.map((approval) => approval.to)).not.toContain('jane.doe@fabrikam.example');
    await page.close();
  });

  it('a rejection needs a reason, and the rejected email is never sent', async () => {
    await startDemoCampaign();
    const page = await harness.open({ role: 'Manager', pageId: 'approvals' });
    const marco = article(page, 'marco.rossi@litware.example');
    await marco.getByRole('button', { name: 'Reject…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    const reason = dialog.getByRole('textbox', { name: 'Why are you rejecting it?' });
    await expect.poll(() => descriptionOf(reason)).toContain('A reason is required to reject.');

    await reason.fill('Litware is an existing customer.');
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();

    await marco.waitFor({ state: 'detached' });
    const { body: rejected } = await call<{ to: string; reason: string }[]>(harness.suite.baseUrl, 'GET', 'v1/approvals?status=rejected', {
      token: manager.token,
    });
    expect(rejected.find((approval) => approval.to === 'marco.rossi@litware.example')?.reason).toBe('Litware is an existing customer.');
    expect(await outboxTo('marco.rossi@litware.example')).toEqual([]);
    await page.close();
  });

  it('bulk approval lists every email that will be sent before sending them', async () => {
    await startDemoCampaign();
    const page = await harness.open({ role: 'Manager', pageId: 'approvals' });
    const bulk = ['ravi.patel@northwind.example', 'lena.fischer@adatum.example'];
    for (const email of bulk) await article(page, email).getByRole('checkbox', { name: 'Select for bulk approval' }).check();

    await page.getByRole('button', { name: 'Approve selected (2)…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve 2 emails?' });
    const listed = await dialog.getByRole('list', { name: 'Emails that will be sent' }).getByRole('listitem').allInnerTexts();
    expect(listed).toHaveLength(2);
    for (const email of bulk) expect(listed.some((item) => item.includes(email))).toBe(true);
    for (const email of bulk) expect(await outboxTo(email)).toEqual([]);

    await dialog.getByRole('button', { name: 'Send 2 emails' }).click();

    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Approved 2 emails; they are on their way.').waitFor();
    for (const email of bulk) {
      await article(page, email).waitFor({ state: 'detached' });
      await eventually(async () => ((await outboxTo(email)).length === 1 ? true : undefined), `the email to ${email}`);
    }
    await page.close();
  });
});

describe('a researched draft before approval', () => {
  const ana = 'ana.silva@fabrikam.example';
  const anaRecipient = `Ana Silva <${ana}>`;

  /** Ana at Fabrikam (whose site and CRM account the demo seeds) in a researched campaign of her own, waiting for approval. */
  async function anaWaiting(): Promise<void> {
    await startDemoCampaign();
    const imported = await call(harness.suite.baseUrl, 'POST', 'v1/prospects/import', {
      token: revops.token,
      text: `email,first_name,last_name,company,title\n${ana},Ana,Silva,Fabrikam,Head of Sales Ops`,
      contentType: 'text/csv',
    });
    expect(imported.status).toBe(200);
    const campaign = await call(harness.suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: 'Researched: Fabrikam sales ops',
        mailbox: demoTenant.mailbox,
        drafting: { mode: 'researched', draftOnly: false },
        sequence: {
          steps: [
            { type: 'email', subject: 'Follow-ups at {{company}}', body: 'Hi {{firstName}},\n\nWorth a short call next week?', approval: 'every' },
          ],
        },
      },
    });
    expect(campaign.status).toBe(201);
    const prospects = (await call<{ id: string; email: string }[]>(harness.suite.baseUrl, 'GET', 'v1/prospects', { token: manager.token })).body;
    const enrolled = await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, {
      token: revops.token,
      json: { prospectIds: prospects.filter((prospect) => prospect.email === ana).map((prospect) => prospect.id) },
    });
    expect(enrolled.status).toBeLessThan(300);
    expect((await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/start`, { token: manager.token, json: {} })).status).toBe(
      202,
    );
  }

  const pendingForAna = (except?: string) =>
    eventually(async () => {
      const { body } = await call<Approval[]>(harness.suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: manager.token });
      return body.find((approval) => approval.to === ana && approval.id !== except);
    }, 'a pending approval for Ana');

  it('regenerates on request, then sends the approver’s edit exactly once, shows the policy’s re-check and audits the diff', async () => {
    await anaWaiting();
    const first = await pendingForAna();
    let page = await harness.open({ role: 'Manager', pageId: 'approvals' });
    let card = page.getByRole('article', { name: anaRecipient });
    const evidence = card.getByRole('region', { name: 'Evidence' });
    await evidence.getByText("Drafted offline by ASEP's rules from the campaign's template", { exact: false }).waitFor();
    const firstCited = first.evidence.sentences!.find((sentence) => sentence.factIds.length > 0)!;
    await evidence.getByText(`“${firstCited.text}”`).waitFor();
    const citedFact = first.evidence.facts.find((fact) => fact.id === firstCited.factIds[0])!;
    if (citedFact.url) expect(await evidence.getByRole('link', { name: citedFact.source }).first().getAttribute('href')).toBe(citedFact.url);

    await card.getByRole('button', { name: 'Regenerate' }).click();
    await page.getByText(`Asked for a new draft for ${anaRecipient}.`).waitFor();
    const second = await pendingForAna(first.id);
    // Another fact is cited in the new draft.
    expect(second.evidence.sentences!.find((sentence) => sentence.factIds.length > 0)!.text).not.toBe(firstCited.text);
    await page.close();

    page = await harness.open({ role: 'Manager', pageId: 'approvals' });
    card = page.getByRole('article', { name: anaRecipient });
    await card.getByRole('button', { name: 'Edit before approving' }).click();
    const body = card.getByRole('textbox', { name: 'Body' });
    const edited = 'Hi Ana,\n\nTeams your size save 47 hours a month on follow-ups.\n\nWorth a short call next week?';
    await body.fill(edited);
    expect(await outboxTo(ana)).toEqual([]);
    await card.getByRole('button', { name: 'Approve edited email' }).click();

    const recheck = page.getByText('The policy checked your edit again', { exact: false });
    await recheck.waitFor();
    const said = await recheck.innerText();
    expect(said).toContain('evidence.claimsNeedFacts: No stored fact supports “Teams your size save 47 hours a month on follow-ups.”');
    expect(said).toContain('evidence.numbersNeedFacts: The draft states a number that no fact contains: “47”.');
    const sent = await eventually(async () => {
      const mails = (
        await call<{ body: string }[]>(harness.suite.baseUrl, 'GET', `dev/mailbox/outbox?tenantId=${tenantId}&to=${encodeURIComponent(ana)}`)
      ).body;
      return mails.length > 0 ? mails : undefined;
    }, 'the edited email in the outbox');
    await sleep(500);
    expect(await outboxTo(ana)).toHaveLength(1);
    expect(sent[0]!.body.startsWith(edited)).toBe(true);
    const auditor = await signIn(harness.suite.baseUrl, tenantId, ['Auditor']);
    const audit = (
      await call<{ type: string; payload: { approvalId: string; diff: string } }[]>(harness.suite.baseUrl, 'GET', 'v1/audit?limit=1000', {
        token: auditor.token,
      })
    ).body;
    const edits = audit.filter((event) => event.type === 'approval.edited' && event.payload.approvalId === second.id);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.payload.diff).toContain('+Teams your size save 47 hours a month on follow-ups.');
    expect(audit.filter((event) => event.type === 'approval.regenerated' && event.payload.approvalId === first.id)).toHaveLength(1);
    await page.close();
  });
});

describe('kill switch', () => {
  it('turns a campaign kill switch on only with a reason, then shows it on with who and why', async () => {
    const created = await call<{ id: string }>(harness.suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: 'Kill switch drill',
        mailbox: demoTenant.mailbox,
        sequence: { steps: [{ type: 'email', subject: 'Hello', body: 'Hi {{firstName}}' }] },
      },
    });
    expect(created.status).toBe(201);
    const page = await harness.open({ role: 'Manager', pageId: 'killswitch' });
    const row = page.getByRole('row', { name: /Kill switch drill/ });
    expect(await row.innerText()).toContain('Off');

    await row.getByRole('button', { name: 'Stop sending for Kill switch drill' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop all sending for Kill switch drill?' });
    await dialog.getByText('nothing in this campaign is sent, including emails already approved or queued').waitFor();
    await dialog.getByRole('button', { name: 'Turn kill switch on' }).click();
    const reason = dialog.getByRole('textbox', { name: 'Reason' });
    await expect.poll(() => descriptionOf(reason)).toContain('A reason is required.');
    await reason.fill('Complaint from a prospect: checking the copy');
    await dialog.getByRole('button', { name: 'Turn kill switch on' }).click();

    await dialog.waitFor({ state: 'detached' });
    await row.getByText('On: nothing is sent').waitFor();
    expect(await row.innerText()).toContain('Complaint from a prospect: checking the copy');
    expect(await row.innerText()).toContain('Turned on by Max Manager');
    const { body: state } = await call(harness.suite.baseUrl, 'GET', 'v1/killswitch', { token: manager.token });
    expect(state.campaigns[created.body.id]).toMatchObject({
      active: true,
      reason: 'Complaint from a prospect: checking the copy',
      changedBy: 'Max Manager',
    });
    await page.close();
  });

  it('turning a campaign kill switch off asks whether the held sequences resume or end, and ends them when asked', async () => {
    const created = await call<{ id: string }>(harness.suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: 'Release drill',
        mailbox: demoTenant.mailbox,
        sequence: { steps: [{ type: 'email', subject: 'Hello', body: 'Hi {{firstName}}' }] },
      },
    });
    const on = await call(harness.suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: manager.token,
      json: { scope: 'campaign', campaignId: created.body.id, active: true, reason: 'Copy under review' },
    });
    expect(on.status).toBe(200);
    const page = await harness.open({ role: 'Manager', pageId: 'killswitch' });
    const row = page.getByRole('row', { name: /Release drill/ });
    await row.getByRole('button', { name: 'Resume sending for Release drill' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resume sending for Release drill?' });
    const choice = dialog.getByRole('radiogroup', { name: 'Sequences held by the kill switch' });
    expect(await choice.getByRole('radio', { name: /Resume them/ }).isChecked()).toBe(true);
    await choice.getByRole('radio', { name: /End them all/ }).check();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('The campaign is cancelled');
    await dialog.getByRole('button', { name: 'Turn kill switch off' }).click();

    await dialog.waitFor({ state: 'detached' });
    // Ended in the background: the page says so once that is done (the campaign had nothing running).
    await page.getByText('Kill switch for Release drill is off. No running sequence needed ending.').waitFor();
    const events = (
      await call<{ type: string; payload: Record<string, unknown> }[]>(harness.suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: admin.token })
    ).body;
    const released = events.filter((event) => event.type === 'killswitch.released' && event.payload.campaignId === created.body.id);
    expect(released.map((event) => event.payload)).toEqual([expect.objectContaining({ release: 'end', reason: 'The campaign is cancelled' })]);
    await page.close();
  });

  it('turning a campaign kill switch off with "resume" shows it off at once, then how many sequences it resumed', async () => {
    const { body: prospect } = await call<{ id: string }>(harness.suite.baseUrl, 'POST', 'v1/prospects', {
      token: revops.token,
      json: { email: 'rhea@resume-drill.example', firstName: 'Rhea', company: 'Resume drill' },
    });
    const { body: campaign } = await call<{ id: string }>(harness.suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: 'Resume drill',
        mailbox: demoTenant.mailbox,
        sequence: { steps: [{ type: 'email', subject: 'Hello', body: 'Hi {{firstName}}' }] },
      },
    });
    await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${campaign.id}/prospects`, { token: revops.token, json: { prospectIds: [prospect.id] } });
    expect((await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${campaign.id}/start`, { token: manager.token, json: {} })).status).toBe(202);
    await eventually(async () => {
      const { body } = await call<{ to: string }[]>(harness.suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: manager.token });
      return body.find((approval) => approval.to === 'rhea@resume-drill.example');
    }, 'the drill’s first touch waiting for approval');
    await call(harness.suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: manager.token,
      json: { scope: 'campaign', campaignId: campaign.id, active: true, reason: 'Checking the copy' },
    });

    const page = await harness.open({ role: 'Manager', pageId: 'killswitch' });
    const row = page.getByRole('row', { name: /Resume drill/ });
    await row.getByRole('button', { name: 'Resume sending for Resume drill' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resume sending for Resume drill?' });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Copy is fine');
    await dialog.getByRole('button', { name: 'Turn kill switch off' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The switch shows off as soon as it is saved; the count follows once the background release is done.
    await page.getByText('Kill switch for Resume drill is off. 1 held sequence resumed.').waitFor();
    expect(await row.innerText()).toContain('Turned off by Max Manager');
    expect(await row.innerText()).toContain('1 held sequence resumed.');
    const events = (
      await call<{ type: string; payload: Record<string, unknown> }[]>(harness.suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: admin.token })
    ).body;
    const released = events.filter((event) => event.type === 'killswitch.released' && event.payload.campaignId === campaign.id);
    expect(released.map((event) => event.payload)).toEqual([
      expect.objectContaining({ release: 'resume', sequencesResumed: 1, reason: 'Copy is fine' }),
    ]);
    await page.close();
    // Its approval must not reach the other tests' lists.
    await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${campaign.id}/stop`, { token: manager.token, json: { reason: 'drill over' } });
  });

  it('does not let a Manager flip the tenant kill switch', async () => {
    const page = await harness.open({ role: 'Manager', pageId: 'killswitch' });
    expect(await page.getByRole('button', { name: 'Stop all sending…' }).isDisabled()).toBe(true);
    await page.getByText('Only an Owner or Admin can change the tenant kill switch.').waitFor();
    await page.close();
  });
});

describe('campaigns in their canary', () => {
  /** A campaign of three new prospects (so no other test's approvals change), started with a canary of the first. */
  async function startCanary(name: string, domain: string): Promise<string> {
    const prospectIds: string[] = [];
    for (const firstName of ['Ann', 'Ben', 'Cay']) {
      const json = { email: `${firstName.toLowerCase()}@${domain}`, firstName, company: name };
      const { body } = await call<{ id: string }>(harness.suite.baseUrl, 'POST', 'v1/prospects', { token: revops.token, json });
      prospectIds.push(body.id);
    }
    const { body: campaign } = await call<{ id: string }>(harness.suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: { name, mailbox: demoTenant.mailbox, sequence: { steps: [{ type: 'email', subject: 'Hello', body: 'Hi {{firstName}}' }] } },
    });
    await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${campaign.id}/prospects`, { token: revops.token, json: { prospectIds } });
    const started = await call(harness.suite.baseUrl, 'POST', `v1/campaigns/${campaign.id}/start`, {
      token: manager.token,
      json: { canary: { size: 1 } },
    });
    expect(started.status).toBe(202);
    return campaign.id;
  }

  async function canary(campaignId: string) {
    return (await call(harness.suite.baseUrl, 'GET', `v1/campaigns/${campaignId}/canary`, { token: manager.token })).body;
  }

  it('promotes a canary to everyone, after which the campaign shows as running', async () => {
    const campaignId = await startCanary('Canary promote drill', 'promote-drill.example');
    const page = await harness.open({ role: 'Manager', pageId: 'campaigns' });
    const row = page.getByRole('row', { name: /Canary promote drill/ });
    await row.getByText('Canary (1)').waitFor();

    await row.getByRole('button', { name: 'Promote…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Promote Canary promote drill to everyone?' });
    await dialog.getByText('Promoting starts the sequences of the other 2 enrolled prospects').waitFor();
    expect((await canary(campaignId)).status).toBe('running');
    await dialog.getByRole('button', { name: 'Send to all 3' }).click();

    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Canary promote drill: promoted; started 2 more sequences for everyone else enrolled.').waitFor();
    await row.getByText('Running', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: 'Promote…' }).count()).toBe(0);
    expect(await canary(campaignId)).toMatchObject({ status: 'promoted', decidedBy: 'Max Manager' });
    await page.close();
  });

  it("halts a canary with the reason given, turning the campaign's kill switch on", async () => {
    const campaignId = await startCanary('Canary halt drill', 'halt-drill.example');
    const page = await harness.open({ role: 'Manager', pageId: 'campaigns' });
    const row = page.getByRole('row', { name: /Canary halt drill/ });

    await row.getByRole('button', { name: 'Halt…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Halt Canary halt drill?' });
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('The offer went to the wrong segment');
    await dialog.getByRole('button', { name: 'Halt campaign' }).click();

    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Halted', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: 'Halt…' }).count()).toBe(0);
    expect(await canary(campaignId)).toMatchObject({ status: 'halted', decidedBy: 'Max Manager' });
    const { body: killSwitch } = await call(harness.suite.baseUrl, 'GET', 'v1/killswitch', { token: manager.token });
    expect(killSwitch.campaigns[campaignId]).toMatchObject({ active: true, reason: 'canary halted: The offer went to the wrong segment' });
    await page.close();
  });
});

describe('policies', () => {
  it('shows each validation error from the API next to the field it names, and saves nothing', async () => {
    const page = await harness.open({ role: 'Admin', pageId: 'policies' });
    const cap = page.getByRole('spinbutton', { name: 'New recipients per mailbox per day' });
    const ask = page.getByRole('spinbutton', { name: 'Ask a manager "Create deal?" from confidence' });
    await cap.fill('-1');
    await ask.fill('0.95');

    await page.getByRole('button', { name: 'Save policy' }).click();

    await page.getByText('The policy was not saved').waitFor();
    expect(await cap.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(cap)).toMatch(/too small.*>=0/i);
    expect(await ask.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(ask)).toContain('askThreshold must not be above createThreshold');
    const expiry = page.getByRole('spinbutton', { name: 'Hours before an unanswered approval expires' });
    expect(await expiry.getAttribute('aria-invalid')).not.toBe('true');
    const { body: policy } = await call(harness.suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    expect(policy.rules.caps.newRecipientsPerMailboxPerDay).toBe(40);
    await page.close();
  });

  it('saves a valid change as a new version', async () => {
    const { body: before } = await call(harness.suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    const page = await harness.open({ role: 'Admin', pageId: 'policies' });
    await page.getByRole('textbox', { name: 'Domains never emailed', exact: true }).fill('competitor.example, rival.example');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(`Saved: version ${before.version + 1} is in force.`).waitFor();
    const { body: after } = await call(harness.suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    expect(after.rules.recipients.excludedDomains).toEqual(['competitor.example', 'rival.example']);
    await page.close();
  });

  it('dry-runs an email to a .gov recipient and shows it blocked, with the rule that blocks it', async () => {
    const page = await harness.open({ role: 'Admin', pageId: 'policies' });
    const dryRun = page.getByRole('form', { name: 'Dry run an email' });
    await dryRun.getByRole('combobox', { name: 'Campaign' }).selectOption({ label: 'Q4 pilot: pipeline hygiene' });
    expect(await dryRun.getByRole('textbox', { name: 'From mailbox' }).inputValue()).toBe(demoTenant.mailbox);
    await dryRun.getByRole('textbox', { name: 'To' }).fill('sam.park@city-agency.gov');
    await dryRun.getByRole('button', { name: 'Test this email' }).click();

    const decision = page.getByRole('status', { name: 'Dry-run decision' });
    await decision.getByText('Blocked', { exact: true }).waitFor();
    expect(await decision.innerText()).toContain('Recipients under .gov are never emailed. (recipients.blockedTlds)');
    await page.close();
  });
});

describe('audit', () => {
  it('verifies the chain and exports every event as JSON Lines', async () => {
    const auditSeqs = async () =>
      (await call<{ seq: number }[]>(harness.suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: admin.token })).body.map((event) => event.seq);
    const page = await harness.open({ role: 'Admin', pageId: 'audit' });
    await page.getByRole('table', { name: 'Audit events' }).waitFor();

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('Chain valid').waitFor();

    const before = await auditSeqs();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all (JSONL)' }).click()]);
    const exported = (await readFile((await download.path())!, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    // The governed loop may append while the export runs: the file holds at least what existed before, in chain order.
    expect(exported.length).toBeGreaterThanOrEqual(before.length);
    expect(exported).toEqual((await auditSeqs()).slice(0, exported.length));
    expect(download.suggestedFilename()).toMatch(new RegExp(`^asep-audit-${tenantId}-\\d{4}-\\d{2}-\\d{2}\\.jsonl$`));
    await page.getByText(`Exported ${exported.length} events`).waitFor();
    await page.close();
  });

  it('filters the list by event type', async () => {
    const page = await harness.open({ role: 'Auditor', pageId: 'audit' });
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.waitFor();
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('demo.seeded');
    const rows = await table.getByRole('row').allInnerTexts();
    expect(rows.slice(1)).toHaveLength(1);
    expect(rows[1]).toContain('demo.seeded');
    await page.close();
  });
});

describe('ROI', () => {
  it("shows the service's own summary", async () => {
    await startDemoCampaign();
    const { body: summary } = await call<{ sent: number; policyBlocks: number }>(harness.suite.baseUrl, 'GET', 'v1/reports/summary', {
      token: manager.token,
    });
    const page = await harness.open({ role: 'Manager', pageId: 'roi' });
    const totals = page.getByRole('region', { name: 'Totals' });
    await totals.waitFor();
    const tile = (label: string) => totals.getByRole('term').filter({ hasText: label }).locator('xpath=..').getByRole('definition').innerText();
    expect(await tile('Emails sent')).toBe(String(summary.sent));
    expect(await tile('Sends blocked by policy')).toBe(String(summary.policyBlocks));
    expect(summary.policyBlocks).toBeGreaterThan(0);
    await page.close();
  });

  it('says reports are not available yet when the service has no summary route', async () => {
    const page = await harness.open({ role: 'Manager' });
    await page.route('**/api/v1/reports/summary', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'Not found', status: 404, detail: 'No route matches /api/v1/reports/summary.' }),
      }),
    );
    await page.getByRole('tab', { name: 'ROI' }).click();
    await page.getByText('Reports are not available yet').waitFor();
    await page.close();
  });

  it('shows the totals, the campaigns and the mailboxes of the summary', async () => {
    const page = await harness.open({ role: 'Manager' });
    const summary = {
      sent: 120,
      replies: 30,
      positive: 12,
      meetings: 5,
      dealsCreated: 4,
      pipelineAmount: 84000,
      policyBlocks: 7,
      byCampaign: [{ campaignId: 'cmp-1', name: 'Q4 pilot', sent: 120, replies: 30, positive: 12, meetings: 5, deals: 4, pipelineAmount: 84000 }],
      byConfidenceBand: [
        { band: '0.85–1.00', replies: 9, deals: 4 },
        { band: '0.65–0.84', replies: 3, deals: 0 },
      ],
      deliverability: [{ mailbox: 'sales@demo.asep.local', sent: 120, bounces: 3, bounceRate: 0.025, complaints: 0, health: 'good' }],
    };
    await page.route('**/api/v1/reports/summary', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(summary) }),
    );
    await page.getByRole('tab', { name: 'ROI' }).click();
    const totals = page.getByRole('definition');
    await totals.first().waitFor();
    expect(await page.getByRole('term').allInnerTexts()).toContain('Replies (25% of sent)');
    expect(await totals.allInnerTexts()).toEqual(expect.arrayContaining(['120', '30', '12', '5', '4', '84,000', '7']));
    expect(await page.getByRole('img', { name: /Replies and deals per confidence band/ }).getAttribute('aria-label')).toContain(
      '0.85–1.00: 9 replies, 4 deals',
    );
    expect(await page.getByRole('table', { name: 'Deliverability by mailbox' }).innerText()).toContain('2.5%');
    await page.close();
  });
});

describe("managers' numbers", () => {
  const figures = (sent: number) => ({
    sent,
    delivered: sent - 1,
    humanReplies: 4,
    positive: 1,
    positiveRate: 0.25,
    meetings: 1,
    deals: 1,
    pipelineAmount: 12000,
    wonAmount: 0,
    medianReplyHours: 5.5,
    draftsApproved: 6,
    timeSavedMinutes: 30,
  });
  const reportFor = (days: string) => {
    const sent = days === '7' ? 10 : 40;
    return {
      period: { from: '2025-03-01T00:00:00.000Z', to: '2025-03-31T00:00:00.000Z' },
      totals: figures(sent),
      byRep: [{ key: 'ann@contoso.example', label: 'Ann Archer', ...figures(sent) }],
      byCampaign: [{ key: 'cmp-1', label: 'Q4 pilot', ...figures(sent) }],
      byStep: [{ key: '0', label: 'Step 1', ...figures(sent) }],
    };
  };

  it('shows the period asked for, by rep, campaign and step, and downloads the same numbers as CSV', async () => {
    const page = await harness.open({ role: 'Manager' });
    const asked: string[] = [];
    await page.route('**/api/v1/reports/roi?**', (route) => {
      const days = new URL(route.request().url()).searchParams.get('days') ?? '';
      asked.push(days);
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(reportFor(days)) });
    });
    await page.getByRole('tab', { name: 'ROI' }).click();
    const totals = page.getByRole('definition', { includeHidden: false });
    const byRep = page.getByRole('table', { name: "Managers' numbers by rep" });
    await expect.poll(() => byRep.innerText()).toContain('Ann Archer');
    expect(await byRep.innerText()).toMatch(/Ann Archer\s+40\s+39\s+4\s+25%\s+1\s+1\s+12,000\s+0\s+5\.5 h\s+30 min/);
    expect(await totals.allInnerTexts()).toEqual(expect.arrayContaining(['40', '25%', '30 min']));

    await page.getByRole('radio', { name: '7 days' }).check();
    await expect.poll(() => byRep.innerText()).toMatch(/Ann Archer\s+10\s/);
    expect(asked).toEqual(['30', '7']);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('asep-roi-2025-03-01-2025-03-31.csv');
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.split('\r\n')[2]).toBe('rep,ann@contoso.example,Ann Archer,10,9,4,1,0.25,1,1,12000,0,5.5,6,30');
    await page.close();
  });
});

describe('first render', () => {
  it('stays within 250 KB gzip, leaving every page and teams-js to load on demand', async () => {
    const manifest = await readConsoleManifest();
    const onDemand = Object.entries(manifest)
      .filter(([source]) => source.includes('@microsoft/teams-js') || source.endsWith('Page.tsx'))
      .map(([, chunk]) => chunk.file);
    // Every page of the console, and teams-js, is a chunk of its own.
    const pages = readdirSync(join(repoRoot, 'teams-app/src/console'), { recursive: true }).filter((file) => String(file).endsWith('Page.tsx'));
    expect(onDemand).toHaveLength(pages.length + 1);
    expect(firstRenderFiles(manifest).filter((file) => onDemand.includes(file))).toEqual([]);
    expect(await builtFirstRenderGzipKb()).toBeLessThanOrEqual(250);
  });
});

describe('accessibility', () => {
  it('axe finds no serious or critical violations on any page', async () => {
    const page = await harness.open({ role: 'Admin' });
    const found: Record<string, string[]> = {};
    for (const tab of ['Approvals', 'Campaigns', 'Prospects', 'Deals', 'Replies', 'Kill switch', 'Policies', 'Audit', 'ROI']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: tab }).waitFor();
      await settled(page);
      found[tab] = await seriousAccessibilityViolations(page);
    }
    await page.getByRole('tab', { name: 'Kill switch' }).click();
    await page.getByRole('button', { name: 'Stop all sending…' }).click();
    await page.getByRole('dialog').waitFor();
    await settled(page);
    found['Kill switch dialog'] = await seriousAccessibilityViolations(page);
    expect(found).toEqual({
      Approvals: [],
      Campaigns: [],
      Prospects: [],
      Deals: [],
      Replies: [],
      'Kill switch': [],
      Policies: [],
      Audit: [],
      ROI: [],
      'Kill switch dialog': [],
    });
    await page.close();
    // Nine pages, each analysed whole: more than the default minute on a busy two-core runner.
  }, 150_000);
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { demoTenant } from '../../local/src/seed';
import { call, eventually, signIn } from '../support/suite';
import { sendAtAnyHour } from '../support/governed-loop';

/**
 * The taskpane against the real local suite: the demo campaign runs through the HTTP API, a reply
 * is triaged for real, and the pane served at /addin/ shows and books it.
 */
let suite: LocalSuite;
let browser: Browser;
let page: Page;
let replyId: string;

beforeAll(async () => {
  suite = await startLocalSuite({
    port: 0,
    dataDir: await mkdtemp(join(tmpdir(), 'asep-pane-live-')),
    reset: true,
    seed: true,
    log: () => undefined,
  });
  const manager = await signIn(suite.baseUrl, demoTenant.tenantId, ['Manager']);
  await sendAtAnyHour(suite.baseUrl, await signIn(suite.baseUrl, demoTenant.tenantId, ['Admin']));
  await call(suite.baseUrl, 'POST', `v1/campaigns/${demoTenant.campaignId}/start`, { token: manager.token, json: {} });
  const approval = await eventually(async () => {
    const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: manager.token })).body;
    return pending.find((candidate) => candidate.to === 'jane.doe@fabrikam.example');
  }, "Jane's approval");
  await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: manager.token, json: {} });
  const sent = await eventually(async () => {
    const mails = (await call<any[]>(suite.baseUrl, 'GET', `dev/mailbox/outbox?tenantId=${demoTenant.tenantId}`)).body;
    return mails[0];
  }, 'the first touch');
  const delivered = await call(suite.baseUrl, 'POST', 'dev/mailbox/inbound', {
    json: {
      tenantId: demoTenant.tenantId,
      from: 'jane.doe@fabrikam.example',
      to: demoTenant.mailbox,
      subject: `Re: ${sent.subject}`,
      body: 'Hi Max, good timing. Yes, let us talk next week; Tuesday afternoon works for me.',
      inReplyTo: sent.internetMessageId,
    },
  });
  replyId = delivered.body.internetMessageId;
  const operator = await signIn(suite.baseUrl, demoTenant.tenantId, ['Operator']);
  await eventually(async () => {
    const insight = await call(suite.baseUrl, 'GET', `v1/insights/by-message?internetMessageId=${encodeURIComponent(replyId)}`, {
      token: operator.token,
    });
    return insight.status === 200 && insight.body.deal ? true : undefined;
  }, 'triage to finish');
  browser = await launchChromium();
  page = await browser.newPage();
  await page.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort(),
  );
});

afterAll(async () => {
  await browser?.close();
  await suite?.close();
});

describe('the taskpane on the local suite', () => {
  it('shows what the real triage made of a reply, books a meeting that moves the deal, then moves and cancels it from the pane', async () => {
    await page.goto(`${suite.baseUrl}/addin/taskpane.html?devMessage=${encodeURIComponent(replyId)}`);
    const reply = page.getByRole('region', { name: 'Reply' });
    await reply.getByText('Positive', { exact: true }).waitFor({ timeout: 20_000 });
    expect(
      await page
        .getByText(/\d+% confidence/)
        .first()
        .isVisible(),
    ).toBe(true);
    expect(await page.locator('mark').first().innerText()).not.toBe('');
    expect(await page.getByText('Jane Doe').first().isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Find a time' }).click();
    const firstTime = page.getByRole('button', { name: /\d{1,2}:\d\d( [AP]M)?–\d{1,2}:\d\d/ }).first();
    await firstTime.waitFor({ timeout: 10_000 });
    await firstTime.click();
    await page.getByRole('button', { name: 'Book', exact: true }).dblclick();
    await page.getByRole('link', { name: 'Join in Teams' }).waitFor({ timeout: 10_000 });

    const operator = await signIn(suite.baseUrl, demoTenant.tenantId, ['Operator']);
    const deals = (await call<any[]>(suite.baseUrl, 'GET', 'v1/deals', { token: operator.token })).body;
    expect(deals.find((deal) => deal.contactEmail === 'jane.doe@fabrikam.example').stage).toBe('MEETING_BOOKED');
    const auditor = await signIn(suite.baseUrl, demoTenant.tenantId, ['Auditor']);
    const audit = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: auditor.token })).body;
    expect(audit.filter((event) => event.type === 'meeting.booked')).toHaveLength(1);

    // Opened again, the pane shows the meeting instead of offering times, and the next action has moved on.
    await page.goto(`${suite.baseUrl}/addin/taskpane.html?devMessage=${encodeURIComponent(replyId)}&reopened=1`);
    const meeting = page.getByRole('region', { name: 'Meeting' });
    await meeting.getByText('Meeting booked').waitFor({ timeout: 20_000 });
    const [booked] = await bookingsOfJane(operator.token);
    expect(booked).toMatchObject({ status: 'booked', rep: { mailbox: demoTenant.mailbox } });
    const text = await meeting.innerText();
    // The rep's zone (the demo sales mailbox works from London) is named; Jane's time (New York) is shown beside it.
    expect(booked.rep.timeZone).toBe('Europe/London');
    expect(text).toContain('London time (Europe/London');
    expect(text).toMatch(/New York time for Jane/);
    expect(await meeting.getByRole('link', { name: 'Join in Teams' }).getAttribute('href')).toBe(booked.joinUrl);
    expect(await page.getByRole('button', { name: 'Find a time' }).count()).toBe(0);
    expect(await page.getByText('Propose meeting times').count()).toBe(0);
    expect(await page.getByText('Prepare for the booked meeting').isVisible()).toBe(true);

    // Moved to another free time: the booking keeps where it was, the pane says so.
    await meeting.getByRole('button', { name: 'Reschedule' }).click();
    const newTime = meeting.getByRole('button', { name: /\d{1,2}:\d\d( [AP]M)?–\d{1,2}:\d\d/ }).first();
    await newTime.waitFor({ timeout: 10_000 });
    await newTime.click();
    await meeting.getByRole('button', { name: 'Move the meeting here' }).click();
    await meeting.getByText(/Moved from/).waitFor({ timeout: 20_000 });
    const [moved] = await bookingsOfJane(operator.token);
    expect(moved).toMatchObject({ bookingId: booked.bookingId, status: 'booked', rescheduledFrom: [{ start: booked.start, end: booked.end }] });
    expect(moved.start).not.toBe(booked.start);

    // Cancelled with a reason: the deal goes back, the pane offers times again and the next action moves on.
    await meeting.getByRole('button', { name: 'Cancel meeting' }).click();
    await meeting.getByRole('textbox', { name: /Reason for Jane/ }).fill('Something came up on our side.');
    await meeting.getByRole('button', { name: 'Cancel the meeting' }).click();
    await page.getByRole('button', { name: 'Find a time' }).waitFor({ timeout: 20_000 });
    const [cancelled] = await bookingsOfJane(operator.token);
    expect(cancelled).toMatchObject({ bookingId: booked.bookingId, status: 'cancelled', cancelReason: 'Something came up on our side.' });
    expect(await page.getByText('Prepare for the booked meeting').count()).toBe(0);
    expect(await page.getByText('Meeting booked').count()).toBe(0);
    const after = (await call<any[]>(suite.baseUrl, 'GET', 'v1/deals', { token: operator.token })).body;
    expect(after.find((deal) => deal.contactEmail === 'jane.doe@fabrikam.example').stage).toBe('POSITIVE_REPLY');
    const changes = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: auditor.token })).body;
    expect(changes.filter((event) => event.type === 'meeting.rescheduled')).toHaveLength(1);
    expect(changes.filter((event) => event.type === 'meeting.cancelled')).toHaveLength(1);
  });
});

describe('the taskpane on a draft ASEP saved in the rep’s Drafts folder', () => {
  it('shows each sentence of the draft with the facts it rests on, from the one insight call', async () => {
    const revops = await signIn(suite.baseUrl, demoTenant.tenantId, ['RevOps']);
    const manager = await signIn(suite.baseUrl, demoTenant.tenantId, ['Manager']);
    const created = await call(suite.baseUrl, 'POST', 'v1/prospects', {
      token: revops.token,
      json: { email: 'lina.ortiz@northwind.example', firstName: 'Lina', lastName: 'Ortiz', company: 'Northwind', title: 'Head of Sales Ops' },
    });
    expect(created.status).toBe(201);
    const campaign = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: 'Researched drafts for the rep',
        mailbox: demoTenant.mailbox,
        sequence: {
          steps: [{ type: 'email', subject: 'An idea for {{company}}', body: 'Hi {{firstName}},\n\n{{research}}\n\nOpen to a short call?', approval: 'every' }],
        },
        drafting: { mode: 'researched', draftOnly: true },
      },
    });
    expect(campaign.status).toBe(201);
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, { token: revops.token, json: { prospectIds: [created.body.id] } });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/start`, { token: manager.token, json: {} });
    const approval = await eventually(async () => {
      const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: manager.token })).body;
      return pending.find((candidate) => candidate.to === 'lina.ortiz@northwind.example');
    }, "Lina's draft for approval");
    await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: manager.token, json: {} });
    const draft = await eventually(async () => {
      const saved = (await call<any[]>(suite.baseUrl, 'GET', `dev/mailbox/drafts?tenantId=${demoTenant.tenantId}`)).body;
      return saved.find((mail) => mail.to === 'lina.ortiz@northwind.example');
    }, 'the draft in the Drafts folder');
    const operator = await signIn(suite.baseUrl, demoTenant.tenantId, ['Operator']);
    const evidence = (
      await call<any>(suite.baseUrl, 'GET', `v1/insights/draft-evidence?internetMessageId=${encodeURIComponent(draft.internetMessageId)}`, {
        token: operator.token,
      })
    ).body;
    const cited = evidence.sentences.find((sentence: any) => sentence.factIds.length > 0);
    expect(cited).toBeDefined();

    const apiCalls: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/v1/')) apiCalls.push(pathname);
    });
    await page.goto(`${suite.baseUrl}/addin/taskpane.html?devMessage=${encodeURIComponent(draft.internetMessageId)}`);
    const sentences = page.getByRole('list', { name: 'Sentences and the facts they rest on' });
    await sentences.waitFor({ timeout: 20_000 });
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(draft.subject);
    expect(await page.getByRole('region', { name: 'Draft' }).innerText()).toContain('ASEP drafted this email to lina.ortiz@northwind.example.');
    expect(await sentences.innerText()).toContain(cited.text);
    const fact = evidence.facts.find((candidate: any) => candidate.id === cited.factIds[0]);
    expect(await sentences.innerText()).toContain(fact.fact);
    // No model is configured for the demo tenant: the pane says who wrote it instead.
    expect(evidence.author.kind).toBe('offline');
    expect(await page.getByText('Written by the offline drafter').isVisible()).toBe(true);
    expect(await page.getByText('Review and send this draft').isVisible()).toBe(true);
    expect(apiCalls).toEqual(['/api/v1/insights/by-message']);
  });
});

async function bookingsOfJane(token: string): Promise<any[]> {
  const prospects = (await call<any[]>(suite.baseUrl, 'GET', 'v1/prospects', { token })).body;
  const jane = prospects.find((prospect) => prospect.email === 'jane.doe@fabrikam.example');
  return (await call<any[]>(suite.baseUrl, 'GET', `v1/bookings?prospectId=${jane.id}`, { token })).body;
}

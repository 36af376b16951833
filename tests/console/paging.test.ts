import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { ReplyLabel } from '@asep/shared/classification/labels';
import type { MessageRecord } from '@asep/functions/mail/message';
import type { ApprovalRecord } from '@asep/functions/approvals/records';
import type { DealRecord } from '@asep/functions/crm/records';
import type { ProspectRecord } from '@asep/functions/prospects/records';
import { prospectId } from '@asep/functions/prospects/prospects';
import { demoTenant } from '../../local/src/seed';
import { signIn, type Person } from '../support/suite';
import { seriousAccessibilityViolations, settled, startConsoleHarness, type ConsoleHarness } from './console-harness';

const { tenantId } = demoTenant;
/** More than the audit page's 100 and the replies page's 50 a page, so both need "Load more" more than once. */
const seededEvents = 230;
const seededReplies = 120;
const labels: ReplyLabel[] = ['positive', 'objection', 'ooo', 'neutral'];
/** More than the prospects, deals and approvals pages' 50 a page. */
const seededProspects = 130;
const seededDeals = 110;
const seededApprovals = 75;
const stages = ['POSITIVE_REPLY', 'MEETING_BOOKED', 'QUALIFIED', 'WON', 'DISQUALIFIED'] as const;

let harness: ConsoleHarness;
let auditor: Person;
let manager: Person;

beforeAll(async () => {
  harness = await startConsoleHarness();
  const { audit, store } = harness.suite.services;
  for (let index = 0; index < seededEvents; index++) {
    await audit.append(tenantId, {
      actor: { type: 'system', id: 'paging-test' },
      type: index % 2 === 0 ? 'paging.even' : 'paging.odd',
      correlationId: `paging-${index}`,
      idempotencyKey: `paging.seeded:${index}`,
      payload: { index },
    });
  }
  for (let index = 0; index < seededReplies; index++) {
    const id = `paging-reply-${index}`;
    await store.messages.upsert({
      id,
      pk: hashedPartition(tenantId, id),
      tenantId,
      direction: 'inbound',
      internetMessageId: `<${id}@prospect.example>`,
      mailbox: demoTenant.mailbox,
      from: `reader${index}@prospect.example`,
      to: demoTenant.mailbox,
      subject: `Paging reply ${index}`,
      body: '…',
      headers: {},
      conversationId: `conv-${id}`,
      campaignId: demoTenant.campaignId,
      // Some share a second, so the order has to hold among equal times too.
      at: new Date(Date.UTC(2026, 10, 1, 9, 0, Math.floor(index / 3))).toISOString(),
      triage: { status: 'done', classification: { label: labels[index % labels.length], confidence: 0.9 } },
    } as unknown as MessageRecord);
  }
  const tenant = store.forTenant(tenantId);
  for (let index = 0; index < seededProspects; index++) {
    const email = `paging-${String(index).padStart(3, '0')}@list.example`;
    await tenant.prospects.upsert({
      id: prospectId(tenantId, email),
      tenantId,
      email,
      domain: 'list.example',
      company: 'List Example',
      status: index % 2 === 0 ? 'paused' : 'new',
      createdAt: '2026-11-01T09:00:00.000Z',
      updatedAt: '2026-11-01T09:00:00.000Z',
    } as unknown as ProspectRecord);
  }
  for (let index = 0; index < seededDeals; index++) {
    const at = new Date(Date.UTC(2026, 10, 2, 9, 0, Math.floor(index / 2))).toISOString();
    await tenant.deals.upsert({
      id: `deal-paging-${index}`,
      tenantId,
      name: `Paging deal ${index}`,
      stage: stages[index % stages.length],
      prospectId: `prospect-${index}`,
      contactEmail: `buyer${index}@deal.example`,
      companyDomain: 'deal.example',
      campaignId: demoTenant.campaignId,
      sourceMessageId: `<deal-${index}@deal.example>`,
      confidence: 0.9,
      createdAt: at,
      updatedAt: at,
    } as unknown as DealRecord);
  }
  for (let index = 0; index < seededApprovals; index++) {
    const at = new Date(Date.UTC(2026, 10, 3, 9, 0, index)).toISOString();
    await tenant.approvals.upsert({
      id: `approval-paging-${index}`,
      tenantId,
      kind: 'first_touch',
      status: 'pending',
      // Every other one belongs to no campaign, so the campaign filter has something to leave out.
      ...(index % 2 === 0 ? { campaignId: demoTenant.campaignId } : {}),
      prospectId: `prospect-${index}`,
      to: `approver-test-${index}@approval.example`,
      subject: `Paging approval ${index}`,
      body: 'Hello',
      evidence: { facts: [] },
      decision: {},
      instanceId: `instance-${index}`,
      eventName: 'approval',
      correlationId: `paging-approval-${index}`,
      createdAt: at,
      expiresAt: '2099-01-01T00:00:00.000Z',
    } as unknown as ApprovalRecord);
  }
  [auditor, manager] = await Promise.all([
    signIn(harness.suite.baseUrl, tenantId, ['Auditor']),
    signIn(harness.suite.baseUrl, tenantId, ['Manager']),
  ]);
}, 300_000);

afterAll(async () => {
  await harness?.close();
});

/** Every page of an API list, following its continuation token: what the console should end up showing. */
async function everyPage<T>(path: string, token: string): Promise<T[]> {
  const items: T[] = [];
  let continuation: string | null = null;
  do {
    const response: Response = await fetch(
      `${harness.suite.baseUrl}/api/${path}${continuation ? `&continuationToken=${encodeURIComponent(continuation)}` : ''}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.status).toBe(200);
    items.push(...((await response.json()) as T[]));
    continuation = response.headers.get('x-continuation-token');
  } while (continuation);
  return items;
}

/**
 * Presses "Load more" until it is gone; the first cell of every row of the table (or of every item the CSS
 * selector `article` names), and how many presses it took.
 */
async function loadEverything(page: Page, list: string, button: RegExp): Promise<{ cells: string[]; presses: number }> {
  const selector = list === 'article' ? list : `table[aria-label="${list}"] tbody tr`;
  const items = page.locator(selector);
  await items.first().waitFor();
  await settled(page);
  let presses = 0;
  while ((await page.getByRole('button', { name: button }).count()) > 0) {
    const before = await items.count();
    await page.getByRole('button', { name: button }).click();
    presses++;
    await page.waitForFunction(
      ([css, count]) => {
        const shown = document.querySelectorAll(css as string).length;
        const busy = [...document.querySelectorAll('button')].some((element) => element.textContent === 'Loading…');
        return !busy && (shown > (count as number) || document.body.innerText.includes('all there are'));
      },
      [selector, before] as const,
    );
  }
  await page.getByText(/all there are/).waitFor();
  const cells = await items.locator('td:first-child').allInnerTexts();
  return { cells, presses };
}

describe('lists longer than a page', () => {
  it('the audit page loads the chain a page at a time with "Load more", every event once, in order, also of one type', async () => {
    const expected = (await everyPage<{ seq: number; type: string }>('v1/audit?limit=1000', auditor.token)).map((event) => event.seq);
    expect(expected.length).toBeGreaterThan(seededEvents);
    const page = await harness.open({ role: 'Auditor', pageId: 'audit' });
    const all = await loadEverything(page, 'Audit events', /^Load the next 100 events$/);
    expect(all.cells.map(Number)).toEqual(expected);
    // A full page may have more after it: the API hands out a token after every full page.
    expect(all.presses).toBe(Math.floor(expected.length / 100));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Event type' }).selectOption('paging.odd');
    const odd = await loadEverything(page, 'Audit events', /^Load the next 100 events$/);
    const oddSeqs = (await everyPage<{ seq: number }>('v1/audit?limit=1000&type=paging.odd', auditor.token)).map((event) => event.seq);
    expect(oddSeqs).toHaveLength(seededEvents / 2);
    expect(odd.cells.map(Number)).toEqual(oddSeqs);
    expect(await page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'paging.even' }).count()).toBe(0);
    await page.close();
  }, 180_000);

  it('the replies page lists every reply once, newest first, with "Load more", and filters them by label', async () => {
    const expected = await everyPage<{ subject: string; at: string }>('v1/replies?limit=1000', manager.token);
    expect(expected.length).toBeGreaterThanOrEqual(seededReplies);
    const page = await harness.open({ role: 'Manager', pageId: 'replies' });
    await page.getByRole('heading', { level: 1, name: 'Replies' }).waitFor();
    const subjects = async () => page.getByRole('table', { name: 'Replies' }).getByRole('row').locator('td:nth-child(3)').allInnerTexts();

    const all = await loadEverything(page, 'Replies', /^Load the next 50 replies$/);
    expect(all.presses).toBeGreaterThanOrEqual(2);
    expect(all.cells).toHaveLength(expected.length);
    expect(await subjects()).toEqual(expected.map((reply) => reply.subject));
    expect(new Set(await subjects()).size).toBe(expected.length);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Label' }).selectOption({ label: replyLabelNames.objection });
    await loadEverything(page, 'Replies', /^Load the next 50 replies$/);
    const objections = await everyPage<{ subject: string }>('v1/replies?limit=1000&label=objection', manager.token);
    expect(objections.length).toBeGreaterThanOrEqual(seededReplies / labels.length);
    expect(await subjects()).toEqual(objections.map((reply) => reply.subject));
    const labelCells = await page.getByRole('table', { name: 'Replies' }).getByRole('row').locator('td:nth-child(5)').allInnerTexts();
    expect(new Set(labelCells)).toEqual(new Set(['Objection']));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  }, 180_000);

  it('the prospects page lists every prospect once, by e-mail address, with "Load more", and filters them by status', async () => {
    const expected = await everyPage<{ email: string }>('v1/prospects?limit=1000', manager.token);
    expect(expected.length).toBeGreaterThanOrEqual(seededProspects);
    const page = await harness.open({ role: 'Manager', pageId: 'prospects' });
    await page.getByRole('heading', { level: 1, name: 'Prospects' }).waitFor();
    const all = await loadEverything(page, 'Prospects', /^Load the next 50 prospects$/);
    expect(all.presses).toBeGreaterThanOrEqual(2);
    expect(all.cells).toEqual(expected.map((prospect) => prospect.email));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Paused' });
    const paused = await loadEverything(page, 'Prospects', /^Load the next 50 prospects$/);
    const expectedPaused = await everyPage<{ email: string }>('v1/prospects?limit=1000&status=paused', manager.token);
    expect(expectedPaused.length).toBeGreaterThan(50);
    expect(paused.cells).toEqual(expectedPaused.map((prospect) => prospect.email));
    await page.close();
  }, 180_000);

  it('the deals page lists every deal once, newest first, with "Load more", and filters them by stage', async () => {
    const expected = await everyPage<{ name: string }>('v1/deals?limit=1000', manager.token);
    expect(expected.length).toBeGreaterThanOrEqual(seededDeals);
    const page = await harness.open({ role: 'Manager', pageId: 'deals' });
    await page.getByRole('heading', { level: 1, name: 'Deals' }).waitFor();
    const all = await loadEverything(page, 'Deals', /^Load the next 50 deals$/);
    expect(all.presses).toBeGreaterThanOrEqual(2);
    expect(all.cells).toEqual(expected.map((deal) => deal.name));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'Won' });
    const won = await loadEverything(page, 'Deals', /^Load the next 50 deals$/);
    const expectedWon = await everyPage<{ name: string; stage: string }>('v1/deals?limit=1000&stage=WON', manager.token);
    expect(expectedWon.map((deal) => deal.stage)).toEqual(expectedWon.map(() => 'WON'));
    expect(won.cells).toEqual(expectedWon.map((deal) => deal.name));
    await page.close();
  }, 180_000);

  it('the approvals page shows every pending approval once, newest first, with "Load more", and filters them by campaign', async () => {
    const expected = await everyPage<{ to: string; campaignId?: string }>('v1/approvals?limit=1000&status=pending', manager.token);
    expect(expected.length).toBeGreaterThanOrEqual(seededApprovals);
    const page = await harness.open({ role: 'Manager', pageId: 'approvals' });
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    const recipients = () => page.locator('article h2').allInnerTexts();
    const all = await loadEverything(page, 'article', /^Load the next 50 approvals$/);
    expect(all.presses).toBeGreaterThanOrEqual(1);
    expect(await recipients()).toEqual(expected.map((approval) => approval.to));

    await page.getByRole('combobox', { name: 'Campaign' }).selectOption(demoTenant.campaignId);
    await loadEverything(page, 'article', /^Load the next 50 approvals$/);
    const ofCampaign = expected.filter((approval) => approval.campaignId === demoTenant.campaignId);
    expect(ofCampaign.length).toBeLessThan(expected.length);
    expect(await recipients()).toEqual(ofCampaign.map((approval) => approval.to));
    await page.close();
  }, 180_000);
});

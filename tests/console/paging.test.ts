import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { ReplyLabel } from '@asep/shared/classification/labels';
import type { MessageRecord } from '@asep/functions/mail/message';
import { demoTenant } from '../../local/src/seed';
import { signIn, type Person } from '../support/suite';
import { seriousAccessibilityViolations, settled, startConsoleHarness, type ConsoleHarness } from './console-harness';

const { tenantId } = demoTenant;
/** More than the audit page's 100 and the replies page's 50 a page, so both need "Load more" more than once. */
const seededEvents = 230;
const seededReplies = 120;
const labels: ReplyLabel[] = ['positive', 'objection', 'ooo', 'neutral'];

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

/** Presses "Load more" until it is gone; the first cell of every row of the table, and how many presses it took. */
async function loadEverything(page: Page, table: string, button: RegExp): Promise<{ cells: string[]; presses: number }> {
  const rows = page.getByRole('table', { name: table }).getByRole('row');
  await rows.nth(1).waitFor();
  await settled(page);
  let presses = 0;
  while ((await page.getByRole('button', { name: button }).count()) > 0) {
    const before = await rows.count();
    await page.getByRole('button', { name: button }).click();
    presses++;
    await page.waitForFunction(
      ([name, count]) => {
        const shown = document.querySelectorAll(`table[aria-label="${name}"] tr`).length;
        const busy = [...document.querySelectorAll('button')].some((element) => element.textContent === 'Loading…');
        return !busy && (shown > (count as number) || document.body.innerText.includes('all there are'));
      },
      [table, before] as const,
    );
  }
  await page.getByText(/all there are/).waitFor();
  const cells = await rows.locator('td:first-child').allInnerTexts();
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
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { anApproval, consoleUrl } from '@asep/teams-app/cards/approval-fixture';
import { buildApprovalCard } from '@asep/teams-app/cards/approval-card';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';
import { launchChromium } from '../support/browser';

/*
 * The approval card as Teams would draw it: rendered by the adaptivecards library itself in Chromium, first while
 * the kill switch holds the approved email, then as the refresh answers once it is sent.
 */

const renderer = readFileSync(createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<main id="card"></main>');
  await page.addScriptTag({ content: renderer });
});
afterAll(async () => browser?.close());

/** Draws the card in place of the one shown before, as the Teams client does on refresh; answers what a person reads. */
async function show(card: AdaptiveCard): Promise<string> {
  return page.evaluate((json) => {
    const library = (
      window as unknown as { AdaptiveCards: { AdaptiveCard: new () => { parse(json: unknown): void; render(): HTMLElement | undefined } } }
    ).AdaptiveCards;
    const adaptive = new library.AdaptiveCard();
    adaptive.parse(json);
    const rendered = adaptive.render();
    const host = document.getElementById('card')!;
    host.replaceChildren(...(rendered ? [rendered] : []));
    return host.innerText;
  }, card);
}

const approved = { status: 'approved' as const, decidedBy: { id: 'u1', name: 'Max Manager' }, decidedAt: '2025-03-14T10:00:00Z' };

describe('an approval made while a kill switch is on, drawn in Chromium', () => {
  it('reads "Approved — held by the kill switch" with no buttons, then says it was sent once the refresh brings the sent card', async () => {
    const held = await show(buildApprovalCard(anApproval({ ...approved, delivery: { status: 'held', at: '2025-03-14T10:00:00Z' } }), { consoleUrl }));
    expect(held).toContain('Approved — held by the kill switch');
    expect(held).toContain('the email waits and is sent once the switch is turned off');
    expect(await page.locator('#card button').count()).toBe(0);

    const sent = await show(buildApprovalCard(anApproval({ ...approved, delivery: { status: 'sent', at: '2025-03-15T08:00:00Z' } }), { consoleUrl }));
    expect(sent).not.toContain('Approved — held by the kill switch');
    expect(sent).toMatch(/^Approved\n/);
    expect(sent).toMatch(/Held by the kill switch, then sent \S/);
    expect(sent).not.toContain('{{DATE');
  });
});

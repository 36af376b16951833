import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTaskpaneHarness, type TaskpaneHarness } from './harness';
import { anaInsight, anaReplyId, availability, boReplyId, modelDraftId, offlineDraftId, seed, seedWithAnaBooked, strangerId } from './seed';
import { stubApi, type StubSeed } from './stubApi';
import { bookedMeeting } from '../../outlook-addin/src/testing/insightFixtures';

let harness: TaskpaneHarness;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  harness = await startTaskpaneHarness();
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(async () => {
  // Reduced motion: axe then checks colours as they settle, not halfway through a button's transition.
  context = await harness.browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin', reducedMotion: 'reduce' });
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterEach(async () => {
  await context.close();
  expect(pageErrors).toEqual([]);
});

async function openPane(messageId: string, stubSeed: StubSeed = seed(), query = '') {
  const api = await stubApi(page, stubSeed);
  await page.goto(`${harness.addinUrl}taskpane.html?devMessage=${encodeURIComponent(messageId)}${query}`);
  return api;
}

/** Presses Tab until the focused element's accessible text matches, as a keyboard user would. */
async function tabTo(name: RegExp, maxPresses = 40): Promise<void> {
  for (let press = 0; press < maxPresses; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return element ? `${element.getAttribute('aria-label') ?? ''} ${element.innerText ?? ''}` : '';
    });
    if (name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

async function seriousAccessibilityViolations() {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => `${node.html} (${node.failureSummary})`).join(', ')}`);
}

const firstSlot = availability.slots[0]!;
const secondSlot = availability.slots[1]!;

describe('Outlook taskpane in Chromium', () => {
  it('shows the label, the confidence and the evidence of a seeded reply', async () => {
    await openPane(anaReplyId);

    await page.getByText('78% confidence (moderate)').waitFor();
    expect(await page.getByRole('region', { name: 'Reply' }).getByText('Positive', { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('mark').innerText()).toBe('Happy to talk next week, Tuesday afternoon works for me.');
    expect(await page.getByText('Asks for a meeting').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Re: Quick question');

    await page.getByText('Decision trace (3 steps)').click();
    expect(await page.getByText('Isotonic calibration: 0.81 → 0.78').isVisible()).toBe(true);
  });

  it('after sign-in, makes one round trip for the insight, without waiting for anything else', async () => {
    // A slow stand-in mailbox: the insight must not queue behind it (nor behind the pane's own start).
    const api = await openPane(anaReplyId, seed({ messageDelayMs: 800 }));
    await page.getByText('78% confidence (moderate)').waitFor();

    const afterSignIn = api.timeline.slice(api.timeline.indexOf('← /api/dev/token') + 1);
    expect(api.timeline.filter((entry) => entry === '→ POST /api/dev/token')).toHaveLength(1);
    expect(afterSignIn.filter((entry) => entry.startsWith('→ GET /api/v1/'))).toEqual(['→ GET /api/v1/insights/by-message']);
    expect(afterSignIn.indexOf('→ GET /api/v1/insights/by-message')).toBeLessThan(afterSignIn.indexOf('← /api/dev/mailbox/message'));
    expect(api.calls.filter((call) => call.path.startsWith('/api/v1/'))).toHaveLength(1);
  });

  it('follows the selection and never shows the previous email’s data, even when its answer arrives late', async () => {
    await page.addInitScript(() => {
      const stale = 'Happy to talk next week';
      const watch = () =>
        new MutationObserver(() => {
          if (document.body.innerText.includes(stale)) document.body.dataset.sawStaleInsight = 'true';
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      document.addEventListener('DOMContentLoaded', watch);
    });
    const api = await openPane(anaReplyId, seed({ insightDelayMs: { [anaReplyId]: 1500 } }));
    await page.getByRole('progressbar').waitFor();

    await page.evaluate((id) => window.standInMailbox!.select(id), boReplyId);

    await page.getByRole('region', { name: 'Reply' }).getByText('Objection', { exact: true }).waitFor();
    expect(await api.lateAnswerSettled(anaReplyId)).toMatch(/delivered|dropped/);
    await page.waitForTimeout(300);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Re: Fabrikam and ASEP');
    expect(await page.locator('mark').innerText()).toBe('We already have a vendor for this.');
    expect(await page.evaluate(() => document.body.dataset.sawStaleInsight)).toBeUndefined();
    expect(api.calls.filter((call) => call.path.startsWith('/api/v1/insights')).map((call) => decodeURIComponent(call.path.split('=')[1]!))).toEqual([
      anaReplyId,
      boReplyId,
    ]);
  });

  it('books a slot once even when Book is double-clicked, and shows the Teams link', async () => {
    const api = await openPane(anaReplyId);

    await page.getByRole('button', { name: 'Find a time' }).click();
    await page
      .getByRole('button', { name: /14:00–14:30 Berlin time/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Book', exact: true }).dblclick();

    await page.getByText('Meeting booked').waitFor();
    const bookings = api.calls.filter((call) => call.path === '/api/v1/bookings');
    expect(bookings).toEqual([
      { method: 'POST', path: '/api/v1/bookings', body: { prospectId: 'p-ana', start: firstSlot.start, end: firstSlot.end } },
    ]);
    expect(await page.getByRole('link', { name: 'Join in Teams' }).getAttribute('href')).toBe('https://teams.microsoft.com/l/meetup-join/meeting-1');
  });

  it('shows a booked meeting in both zones, the rep’s named, with its Teams link, instead of offering times', async () => {
    const booking = bookedMeeting;
    const booked = seedWithAnaBooked();
    await openPane(anaReplyId, booked);

    const meeting = page.getByRole('region', { name: 'Meeting' });
    await meeting.getByText('Meeting booked').waitFor();
    const text = await meeting.innerText();
    expect(text).toContain('08:00–08:30 Chicago time (America/Chicago, Riya Rep’s calendar)');
    expect(text).toContain('15:00–15:30 Berlin time for Ana');
    expect(await meeting.getByRole('link', { name: 'Join in Teams' }).getAttribute('href')).toBe(booking.joinUrl);
    expect(await page.getByRole('button', { name: 'Find a time' }).count()).toBe(0);
    expect(await page.getByText('Prepare for the booked meeting').isVisible()).toBe(true);
  });

  it('moves a booked meeting to another free time once, even when double-clicked, then shows where it moved from', async () => {
    const booked = seedWithAnaBooked();
    const api = await openPane(anaReplyId, booked);

    const meeting = page.getByRole('region', { name: 'Meeting' });
    await meeting.getByRole('button', { name: 'Reschedule' }).click();
    await meeting
      .getByRole('button', { name: /14:00–14:30 Berlin time/ })
      .first()
      .click();
    await meeting.getByRole('button', { name: 'Move the meeting here' }).dblclick();

    await meeting.getByText(/Moved from/).waitFor();
    expect(api.calls.filter((call) => call.path.startsWith('/api/v1/bookings'))).toEqual([
      { method: 'POST', path: '/api/v1/bookings/booking-ana/reschedule', body: { start: firstSlot.start, end: firstSlot.end } },
    ]);
    const text = await meeting.innerText();
    // 12:00 UTC: 07:00 in the rep's Chicago, 14:00 in Ana's Berlin; it was at 08:00 Chicago time.
    expect(text).toContain('07:00–07:30 Chicago time (America/Chicago, Riya Rep’s calendar)');
    expect(text).toContain('14:00–14:30 Berlin time for Ana');
    expect(text).toMatch(/Moved from [^.]*08:00–08:30 Chicago time/);
    expect(await meeting.getByRole('button', { name: 'Move the meeting here' }).count()).toBe(0);
    expect(await page.getByText('Prepare for the booked meeting').isVisible()).toBe(true);
  });

  it('cancels a booked meeting with a reason, and then offers times again as the next action moves on', async () => {
    const booked = seedWithAnaBooked({ nextActionWithoutMeeting: { kind: 'book_meeting', label: 'Propose times for a call' } });
    const api = await openPane(anaReplyId, booked);

    const meeting = page.getByRole('region', { name: 'Meeting' });
    await meeting.getByRole('button', { name: 'Cancel meeting' }).click();
    await meeting.getByRole('textbox', { name: /Reason for Ana/ }).fill('Our product lead is ill; I will propose new times.');
    expect(await seriousAccessibilityViolations()).toEqual([]);
    await meeting.getByRole('button', { name: 'Cancel the meeting' }).dblclick();

    await page.getByRole('button', { name: 'Find a time' }).waitFor();
    expect(api.calls.filter((call) => call.path.startsWith('/api/v1/bookings'))).toEqual([
      { method: 'POST', path: '/api/v1/bookings/booking-ana/cancel', body: { reason: 'Our product lead is ill; I will propose new times.' } },
    ]);
    expect(await page.getByText('Meeting booked').count()).toBe(0);
    expect(await page.getByText('Prepare for the booked meeting').count()).toBe(0);
    expect(await page.getByText('Propose times for a call').isVisible()).toBe(true);
  });

  it('keeps the meeting when the rep thinks better of cancelling it', async () => {
    const booked = seedWithAnaBooked();
    const api = await openPane(anaReplyId, booked);

    const meeting = page.getByRole('region', { name: 'Meeting' });
    await meeting.getByRole('button', { name: 'Cancel meeting' }).click();
    await meeting.getByRole('button', { name: 'Keep it' }).click();

    expect(await meeting.getByRole('button', { name: 'Cancel meeting' }).isVisible()).toBe(true);
    expect(await meeting.getByText('Meeting booked').isVisible()).toBe(true);
    expect(api.calls.filter((call) => call.path.startsWith('/api/v1/bookings'))).toEqual([]);
  });

  it('on a draft ASEP saved, shows each sentence with its facts, their sources and when they were read, and says the offline drafter wrote it', async () => {
    const api = await openPane(offlineDraftId);

    const draft = page.getByRole('region', { name: 'Draft' });
    await draft.getByText('Written by the offline drafter').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Governed outreach at Litware');
    expect(await draft.innerText()).toContain('ASEP drafted this email to marco@litware.example.');
    expect(await draft.innerText()).toContain("because the tenant's daily model budget is spent (50000 of 50000 tokens)");

    const sentences = page.getByRole('list', { name: 'Sentences and the facts they rest on' }).locator(':scope > li');
    expect(await sentences.count()).toBe(3);
    expect(await sentences.nth(0).innerText()).toContain('Your template’s wording: no fact needed.');
    const site = sentences.nth(1);
    expect(await site.getByRole('link', { name: 'Company website' }).getAttribute('href')).toBe('https://litware.example/news/porto');
    // Read at 08:00 UTC, shown in the rep's Berlin time.
    expect(await site.getByRole('list', { name: 'Facts' }).innerText()).toMatch(/Litware opened a second plant in Porto this spring\. — Company website, read Sat,? 1 Jun,? 10:00/);
    expect(await sentences.nth(2).getByRole('list', { name: 'Facts' }).innerText()).toMatch(/Call note: asked about audit trails — CRM \(record note-7\), read/);
    expect(await page.getByText('Review and send this draft').isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Reply' }).count()).toBe(0);
    expect(api.calls.filter((call) => call.path.startsWith('/api/v1/')).map((call) => call.path.split('?')[0])).toEqual(['/api/v1/insights/by-message']);
    expect(await seriousAccessibilityViolations()).toEqual([]);

    await page.evaluate((id) => window.standInMailbox!.select(id), modelDraftId);
    await draft.getByText('ASEP drafted this email to lena@adatum.example.').waitFor();
    expect(await draft.innerText()).toContain('Written by your Azure OpenAI deployment gpt-4o-mini from the facts below.');
    expect(await page.getByText('Written by the offline drafter').count()).toBe(0);
  });

  it('names the sender once and the CRM by its product', async () => {
    const stubSeed = seed();
    stubSeed.messages[0] = { ...stubSeed.messages[0]!, from: 'ana@contoso.example <ana@contoso.example>' };
    stubSeed.insights[anaReplyId] = {
      ...anaInsight,
      deal: {
        id: 'deal-ana',
        tenantId: 'tenant-1',
        name: 'Contoso',
        stage: 'POSITIVE_REPLY',
        prospectId: 'p-ana',
        contactEmail: 'ana@contoso.example',
        companyDomain: 'contoso.example',
        sourceMessageId: 'reply-ana',
        confidence: 0.9,
        createdAt: '2030-06-02T09:12:00Z',
        updatedAt: '2030-06-02T09:12:00Z',
        crm: { system: 'hubspot', id: '42', url: 'https://app.hubspot.com/contacts/1/deal/42' },
      },
    };
    await openPane(anaReplyId, stubSeed);
    await page.getByText('78% confidence (moderate)').waitFor();
    expect(await page.getByText('From ana@contoso.example', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Open in HubSpot' }).isVisible()).toBe(true);
  });

  it('shows free times in the rep’s and the prospect’s time zones', async () => {
    await openPane(anaReplyId);
    await page.getByRole('button', { name: 'Find a time' }).click();

    const slot = page.getByRole('button', { name: /14:00–14:30 Berlin time/ }).first();
    expect(await slot.getAttribute('aria-label')).toMatch(/14:00–14:30 Berlin time, .*08:00–08:30 New York time/);
    expect(await slot.innerText()).toMatch(/14:00–14:30\s+08:00–08:30/);
  });

  it('inserts the chosen times into a reply to the selected email', async () => {
    await openPane(anaReplyId);
    await page.getByRole('button', { name: 'Find a time' }).click();
    await page
      .getByRole('button', { name: /14:00–14:30 Berlin time/ })
      .first()
      .click();
    await page
      .getByRole('button', { name: /14:30–15:00 Berlin time/ })
      .first()
      .click();

    await page.getByRole('button', { name: 'Insert into reply' }).click();

    await page.getByText('A reply proposing 2 times is open.').waitFor();
    const replyForms = await page.evaluate(() => window.standInMailbox!.replyForms);
    expect(replyForms).toHaveLength(1);
    expect(replyForms[0]!.inReplyTo).toBe(anaReplyId);
    expect(replyForms[0]!.htmlBody).toContain('<p>Hi Ana,</p>');
    expect(replyForms[0]!.htmlBody).toMatch(/<li>[^<]*08:00–08:30 New York time<\/li><li>[^<]*08:30–09:00 New York time<\/li>/);
    expect([firstSlot.start, secondSlot.start]).toEqual(['2030-06-03T12:00:00.000Z', '2030-06-03T12:30:00.000Z']);
  });

  it('books a meeting with the keyboard alone', async () => {
    const api = await openPane(anaReplyId);
    await page.getByText('78% confidence (moderate)').waitFor();

    await tabTo(/Find a time/);
    await page.keyboard.press('Enter');
    await page
      .getByRole('button', { name: /14:00–14:30 Berlin time/ })
      .first()
      .waitFor();
    await tabTo(/14:00–14:30 Berlin time/);
    await page.keyboard.press('Enter');
    await tabTo(/^\s*Book\s*$/);
    await page.keyboard.press('Enter');

    await page.getByText('Meeting booked').waitFor();
    expect(api.calls.filter((call) => call.path === '/api/v1/bookings')).toHaveLength(1);
  });

  it('has no serious or critical accessibility violations in the insight and booking views', async () => {
    await openPane(anaReplyId, seed(), '&devRole=Manager');
    await page.getByText('78% confidence (moderate)').waitFor();
    await page.getByText('Decision trace (3 steps)').click();
    expect(await seriousAccessibilityViolations()).toEqual([]);

    await page.getByRole('button', { name: 'Find a time' }).click();
    await page
      .getByRole('button', { name: /14:00–14:30 Berlin time/ })
      .first()
      .click();
    expect(await seriousAccessibilityViolations()).toEqual([]);
  });

  it('says an unknown email is not part of any campaign and can add its sender as a prospect', async () => {
    const api = await openPane(strangerId);

    await page.getByText('Not part of any campaign').waitFor();
    expect(await seriousAccessibilityViolations()).toEqual([]);
    await page.getByRole('button', { name: 'Add sender as prospect' }).click();

    await page.getByText('Cleo Park was added as a prospect.').waitFor();
    expect(api.calls.find((call) => call.path === '/api/v1/prospects')?.body).toEqual({ email: 'cleo@unknown.example', fullName: 'Cleo Park' });
  });

  it('recovers from a service error with Retry', async () => {
    await openPane(anaReplyId, seed({ insightFailures: [503] }));

    await page.getByText('ASEP could not load this email: Service Unavailable').waitFor();
    await page.getByRole('button', { name: 'Retry' }).click();

    await page.getByText('78% confidence (moderate)').waitFor();
  });

  it('lets a Manager approve the pending "Create deal?" but not a rep', async () => {
    await openPane(anaReplyId);
    await page.getByText('78% confidence (moderate)').waitFor();
    expect(await page.getByRole('button', { name: 'Approve “Create deal?”' }).count()).toBe(0);

    const api = await openPane(anaReplyId, seed(), '&devRole=Manager');
    await page.getByRole('button', { name: 'Approve “Create deal?”' }).click();
    await page.getByText('Approved: the deal will be created.').waitFor();
    expect(api.calls.filter((call) => call.path === '/api/v1/approvals/appr-ana/approve')).toHaveLength(1);
  });
});

import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { call, eventually, startSuite, type RunningSuite } from '../support/suite';
import { outbox, type LoopFixture } from '../support/governed-loop';
import { deliverabilityDriver } from './deliverability-support';

let suite: RunningSuite;
let driver: ReturnType<typeof deliverabilityDriver>;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
  driver = deliverabilityDriver(suite.baseUrl);
});
afterAll(async () => suite?.stop());

/** The unsubscribe link in a sent email, pointed at the running suite. */
function unsubscribeLinkIn(body: string): { url: string; token: string } {
  const match = /https?:\/\/\S+\/api\/unsubscribe\/([\w.-]+)/.exec(body);
  if (!match) throw new Error(`No unsubscribe link in:\n${body}`);
  return { url: `${suite.baseUrl}/api/unsubscribe/${match[1]}`, token: match[1]! };
}

async function oneClick(url: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', html: await response.text() };
}

const followUpAsked = (loop: LoopFixture) => async () => (await driver.pending(loop, 'step'))[0];

describe('unsubscribe link', () => {
  it('is in every email sent, names the prospect without their address, and shows a confirmation page before anything happens', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nlinda@link.example,Linda,Link');
    const { url, token } = unsubscribeLinkIn(touch.body);
    expect(touch.body).toMatch(/^Hi Linda, a short idea for Link\. Worth a chat\?\n\n--\n.*Unsubscribe.*http/s);
    const decoded = token
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join(' ');
    expect(`${token} ${decoded}`).not.toContain('linda');

    const page = await fetch(url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toMatch(/<form method="post">[\s\S]*<button type="submit">Unsubscribe<\/button>/);
    expect(html).not.toMatch(/<(script|img|link)\b|https?:\/\//i);
    expect(await driver.prospectsWithStatus(loop, 'unsubscribed')).toEqual([]);
  });

  it('unsubscribes with one click at once, audits it, and the next step is never sent', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nuli@oneclick.example,Uli,OneClick');
    const clicked = await oneClick(unsubscribeLinkIn(touch.body).url);
    expect(clicked.status).toBe(200);
    expect(clicked.contentType).toMatch(/^text\/html/);
    expect(clicked.html).toContain('You are unsubscribed');

    // Synchronous: the address is suppressed by the time the page answers.
    expect(await driver.prospectsWithStatus(loop, 'unsubscribed')).toEqual(['uli@oneclick.example']);
    expect(await driver.mayEmail(loop, 'uli@oneclick.example')).toBe(false);
    const added = (await driver.auditEvents(loop)).find((event) => event.type === 'suppression.added');
    expect(added).toMatchObject({
      actor: { type: 'system', id: 'unsubscribe-link' },
      payload: { reason: 'unsubscribe', consent: { method: 'link' } },
    });

    expect(await driver.daysPassUntil(followUpAsked(loop), 6)).toBeUndefined();
    expect(await outbox(loop)).toHaveLength(1);
    // Clicking again changes nothing and says the same.
    expect((await oneClick(unsubscribeLinkIn(touch.body).url)).html).toContain('You are unsubscribed');
    expect((await driver.auditEvents(loop)).filter((event) => event.type === 'suppression.added')).toHaveLength(1);
  });

  it('refuses a forged, altered or made-up link and suppresses nobody', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nfrank@forge.example,Frank,Forge');
    const { token } = unsubscribeLinkIn(touch.body);
    const [payload, signature] = token.split('.') as [string, string];
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    // The same prospect id in another tenant, with the genuine signature: the signature covers both.
    const otherTenant = Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString('utf8')
        .replace(/^[^:]+/, 'another-tenant'),
    ).toString('base64url');

    const attempts = {
      alteredSignature: `${payload}.${flipped}`,
      otherTenant: `${otherTenant}.${signature}`,
      madeUp: 'unsubscribe-me-please',
      truncated: token.slice(0, -5),
    };
    const statuses = Object.fromEntries(
      await Promise.all(
        Object.entries(attempts).map(async ([name, attempt]) => [name, (await oneClick(`${suite.baseUrl}/api/unsubscribe/${attempt}`)).status]),
      ),
    );
    expect(statuses).toEqual({ alteredSignature: 404, otherTenant: 404, madeUp: 400, truncated: 400 });
    expect((await fetch(`${suite.baseUrl}/api/unsubscribe/${attempts.alteredSignature}`)).status).toBe(404);

    expect(await driver.prospectsWithStatus(loop, 'unsubscribed')).toEqual([]);
    expect(await driver.mayEmail(loop, 'frank@forge.example')).toBe(true);
    expect((await driver.auditEvents(loop)).some((event) => event.type === 'suppression.added')).toBe(false);
  });

  it('works in a browser from the keyboard, loads nothing from elsewhere and passes axe', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nbea@browser.example,Bea,Browser');
    const { url } = unsubscribeLinkIn(touch.body);
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(url);
      const violations = (await new AxeBuilder({ page }).analyze()).violations.map((violation) => `${violation.id} (${violation.impact})`);
      expect(violations).toEqual([]);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Unsubscribe from these emails?');

      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Unsubscribe');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
      expect(new Set(requested)).toEqual(new Set([url]));
    } finally {
      await browser.close();
    }
    expect(await driver.prospectsWithStatus(loop, 'unsubscribed')).toEqual(['bea@browser.example']);
  });
});

describe('unsubscribe reply', () => {
  it('suppresses the address, records how and from which message, and stops its sequences in every campaign', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nrita@reply.example,Rita,Reply');
    await driver.startOneEmailCampaign(loop, 'Second campaign', 'Another idea');
    const [secondApproval] = await eventually(async () => {
      const pending = await driver.pending(loop, 'first_touch');
      return pending.length > 0 ? pending : undefined;
    }, "the second campaign's first touch");
    expect(secondApproval.body).toContain('Unsubscribe link added when sent');

    const insight = await driver.reply(loop, 'rita@reply.example', touch.internetMessageId, 'Please unsubscribe me from these emails.');
    expect(insight.classification.label).toBe('unsubscribe');
    const added = (await driver.auditEvents(loop)).find((event) => event.type === 'suppression.added');
    expect(added.payload).toMatchObject({
      reason: 'unsubscribe',
      consent: { method: 'reply', sourceMessageId: insight.internetMessageId, at: expect.any(String) },
    });

    // The other campaign's pending approval is withdrawn: nobody is asked to email them again.
    expect(await driver.pending(loop)).toEqual([]);
    const late = await call(suite.baseUrl, 'POST', `v1/approvals/${secondApproval.id}/approve`, { token: loop.manager.token, json: {} });
    expect(late.status).toBe(409);
    expect(await driver.daysPassUntil(async () => ((await outbox(loop)).length > 1 ? true : undefined), 5)).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, sleep, startSuite, type RunningSuite } from '../support/suite';
import { outbox, type LoopFixture } from '../support/governed-loop';
import { deliverabilityDriver, deliveryReport } from './deliverability-support';

let suite: RunningSuite;
let driver: ReturnType<typeof deliverabilityDriver>;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
  driver = deliverabilityDriver(suite.baseUrl);
});
afterAll(async () => suite?.stop());

const dayMs = 86_400_000;
const followUpAsked = (loop: LoopFixture) => async () => (await driver.pending(loop, 'step'))[0];

/** The first Wednesday at least `days` days after `from`, as a calendar date (UTC). */
function wednesdayAfter(from: Date, days: number): Date {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days));
  while (day.getUTCDay() !== 3) day.setUTCDate(day.getUTCDate() + 1);
  return day;
}

describe('out of office', () => {
  it('pauses the sequence and sends the follow-up only on the business day after the return date, in the prospect’s time zone', async () => {
    // Tokyo has no daylight saving: 09:00 there is always 00:00 UTC.
    const { loop, touch } = await driver.firstTouch('email,first_name,company,timezone\nolga@away.example,Olga,Away,Asia/Tokyo');
    const back = wednesdayAfter(new Date(touch.sentAt), 7);
    const backOn = back.toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    const resume = new Date(back.getTime() + dayMs); // Thursday, 09:00 in Tokyo

    const insight = await driver.reply(
      loop,
      'olga@away.example',
      touch.internetMessageId,
      `Thank you for your email. I am out of the office and will be back on ${backOn}.`,
      {
        subject: 'Automatic reply: Idea for Away',
      },
    );
    expect(insight.classification.label).toBe('ooo');
    expect(insight.ooo.returnDate).toBe(back.toISOString().slice(0, 10));
    const paused = await driver.insight(loop, insight.internetMessageId);
    expect(paused.sequence).toMatchObject({ status: 'paused', pausedUntil: resume.toISOString() });

    // Without the pause the follow-up would be asked for two business days after the first email.
    const asked = await driver.daysPassUntil(followUpAsked(loop), 16);
    expect(asked).toBeDefined();
    expect(asked!.at.getTime()).toBeGreaterThanOrEqual(resume.getTime());
    expect(asked!.at.getTime() - dayMs).toBeLessThan(resume.getTime());
    expect(asked!.value).toMatchObject({ to: 'olga@away.example', subject: 'Re: Idea for Away' });
    expect((await driver.insight(loop, insight.internetMessageId)).sequence.status).not.toBe('paused');
  });

  it('suppresses someone who left the company and suggests the colleague they name', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nlena@gone.example,Lena,Gone');
    const insight = await driver.reply(
      loop,
      'lena@gone.example',
      touch.internetMessageId,
      'Thank you for your message. Lena Lang is no longer with the company. For anything related please contact Tom Tiller at tom.tiller@gone.example.',
      { subject: 'Automatic reply: Idea for Gone' },
    );
    expect(insight.classification.label).toBe('ooo');
    expect(insight.nextAction.kind).toBe('contact_referral');
    expect(insight.suggestedContact).toMatchObject({ name: 'Tom Tiller', email: 'tom.tiller@gone.example' });
    expect(await driver.prospectsWithStatus(loop, 'suppressed')).toEqual(['lena@gone.example']);
    expect((await driver.auditEvents(loop)).find((event) => event.type === 'suppression.added').payload.reason).toBe('left_company');
    expect(await driver.daysPassUntil(followUpAsked(loop), 6)).toBeUndefined();
    expect(await outbox(loop)).toHaveLength(1);
  });
});

describe('bounces', () => {
  it('sends a soft-bounced email again a business day later, and suppresses the address after three soft bounces', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nfay@full.example,Fay,Full');
    const softBounce = deliveryReport('fay@full.example', 'soft');
    const sent = (count: number) => async () => {
      const mails = await outbox(loop);
      return mails.length >= count ? mails : undefined;
    };

    let latest = touch;
    for (const attempt of [2, 3]) {
      const insight = await driver.reply(loop, 'mailer-daemon@full.example', latest.internetMessageId, softBounce.body, {
        subject: 'Delivery delayed',
        headers: softBounce.headers,
      });
      expect(insight.bounce).toMatchObject({ kind: 'soft' });
      expect(insight.nextAction.kind).toBe('retry_later');
      await sleep(300);
      expect(await outbox(loop)).toHaveLength(attempt - 1);
      const resent = await driver.daysPassUntil(sent(attempt), 4);
      expect(resent).toBeDefined();
      latest = resent!.value[attempt - 1];
      expect(latest).toMatchObject({ to: 'fay@full.example', subject: touch.subject });
      expect(latest.body).toBe(touch.body);
    }
    // The first email was approved once; sending it again asks nobody.
    expect(await driver.pending(loop)).toEqual([]);

    const third = await driver.reply(loop, 'mailer-daemon@full.example', latest.internetMessageId, softBounce.body, {
      subject: 'Delivery delayed',
      headers: softBounce.headers,
    });
    expect(third.nextAction.kind).toBe('find_new_address');
    expect(await driver.prospectsWithStatus(loop, 'bounced')).toEqual(['fay@full.example']);
    expect(
      await driver.daysPassUntil(async () => ((await outbox(loop)).length > 3 || (await driver.pending(loop)).length > 0 ? true : undefined), 6),
    ).toBeUndefined();
  });

  it('sends the last email of a finished sequence again after a soft bounce', async () => {
    const { loop } = await driver.firstTouch('email,first_name,company\nnina@final.example,Nina,Final');
    const oneStepId = await driver.startOneEmailCampaign(loop, 'One email', 'One last idea');
    const [approval] = await eventually(async () => {
      const pending = (await driver.pending(loop)).filter((candidate) => candidate.campaignId === oneStepId);
      return pending.length > 0 ? pending : undefined;
    }, 'the one email to be asked for');
    await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    const lastEmail = await eventually(async () => (await outbox(loop)).find((mail) => mail.subject === 'One last idea'), 'the one email');
    await sleep(300);

    const softBounce = deliveryReport('nina@final.example', 'soft');
    await driver.reply(loop, 'mailer-daemon@final.example', lastEmail.internetMessageId, softBounce.body, { headers: softBounce.headers });
    const resent = await driver.daysPassUntil(async () => {
      const mails = (await outbox(loop)).filter((mail) => mail.subject === 'One last idea');
      return mails.length === 2 ? mails : undefined;
    }, 4);
    expect(resent?.value[1].body).toBe(lastEmail.body);
  });

  it('counts bounces against the mailbox’s health over the last 30 days only', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\ngus@ghost.example,Gus,Ghost');
    const hardBounce = deliveryReport('gus@ghost.example', 'hard');
    await driver.reply(loop, 'mailer-daemon@ghost.example', touch.internetMessageId, hardBounce.body, { headers: hardBounce.headers });
    const health = async () => (await call(suite.baseUrl, 'GET', 'v1/reports/summary', { token: loop.manager.token })).body.deliverability;
    expect(await health()).toEqual([expect.objectContaining({ mailbox: loop.mailbox, sent: 1, bounces: 1, bounceRate: 1, health: 'poor' })]);

    await driver.advanceClock(31 * 24);
    expect(await health()).toEqual([]);
  });
});

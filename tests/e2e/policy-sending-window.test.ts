import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, sleep, startSuite, type RunningSuite } from '../support/suite';
import { outbox, prepareCampaign } from '../support/governed-loop';

// Moves the suite's clock, so it has a suite of its own.
let suite: RunningSuite;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

/** A one-hour window every day that opens two or three hours from now in `timeZone`: now is outside it. */
function windowOpeningSoon(timeZone: string) {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const start = (hour + 2) % 24 === 23 ? 0 : (hour + 2) % 24;
  const pad = (value: number) => String(value).padStart(2, '0');
  return {
    enabled: true,
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    start: `${pad(start)}:00`,
    end: `${pad(start + 1)}:00`,
    fallbackTimeZone: 'UTC',
  };
}

describe('the sending window', () => {
  it('holds a send outside the recipient’s hours on a durable timer and sends it when the window opens', async () => {
    const timeZone = 'Asia/Tokyo';
    const loop = await prepareCampaign(
      suite.baseUrl,
      newTenantId(),
      `email,first_name,company,timezone\nkenji@tokyo.example,Kenji,Tokyo Trading,${timeZone}`,
    );
    const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: loop.admin.token })).body;
    const window = windowOpeningSoon(timeZone);
    const saved = await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: loop.admin.token,
      json: {
        rules: { ...policy.rules, approvals: { ...policy.rules.approvals, firstTouch: false }, sendingWindow: window },
        version: policy.version,
      },
    });
    expect(saved.status).toBe(200);
    const campaign = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
      token: loop.revops.token,
      json: {
        name: 'Window',
        mailbox: loop.mailbox,
        sequence: { steps: [{ type: 'email', subject: 'Hello {{firstName}}', body: 'A short note for {{company}}.', approval: 'none' }] },
      },
    });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, {
      token: loop.revops.token,
      json: { prospectIds: loop.prospectIds },
    });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/start`, { token: loop.manager.token, json: {} });

    const deferred = await eventually(async () => {
      const events = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
      return events.find((event) => event.type === 'email.deferred');
    }, 'the send to be deferred');
    expect(deferred.payload.rule).toBe('sendingWindow');
    const opensAt = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(deferred.payload.retryAt),
    );
    expect(opensAt).toBe(window.start);
    await sleep(500);
    expect(await outbox(loop)).toHaveLength(0);

    const hoursToOpening = (Date.parse(deferred.payload.retryAt) - Date.now()) / 3_600_000;
    expect(hoursToOpening).toBeGreaterThan(0.9);
    await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: hoursToOpening + 0.05 } });
    const [sent] = await eventually(async () => ((await outbox(loop)).length > 0 ? outbox(loop) : undefined), 'the send once the window opens');
    expect(sent.to).toBe('kenji@tokyo.example');
    const events = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
    expect(events.filter((event) => event.type === 'email.sent')).toHaveLength(1);
    expect(events.some((event) => event.type === 'email.blocked')).toBe(false);
  });
});

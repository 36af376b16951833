import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, sleep, startSuite, type RunningSuite } from '../support/suite';
import { deliverabilityDriver } from './deliverability-support';

let suite: RunningSuite;
let driver: ReturnType<typeof deliverabilityDriver>;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
  driver = deliverabilityDriver(suite.baseUrl);
});
afterAll(async () => suite?.stop());

describe('a reply triage is not sure of', () => {
  it('goes to a person and changes nothing; confirming it as unsubscribe suppresses once and stops the sequence', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nmaya@unsure.example,Maya,Unsure');
    const insight = await driver.reply(loop, 'maya@unsure.example', touch.internetMessageId, 'Perhaps later, I guess.');

    const [review] = await eventually(async () => {
      const pending = await driver.pending(loop, 'reply_review');
      return pending.length > 0 ? pending : undefined;
    }, 'the reply review');
    expect(review).toMatchObject({ kind: 'reply_review', status: 'pending', to: 'maya@unsure.example' });
    expect(review.review.confidence).toBeLessThan(0.9);
    expect(review.review.topLabels).toHaveLength(2);
    expect(review.evidence.excerpt).toContain('Perhaps later');

    // Nothing irreversible happened on the guess.
    await sleep(500);
    expect(await driver.prospectsWithStatus(loop, 'unsubscribed')).toEqual([]);
    expect(await driver.mayEmail(loop, 'maya@unsure.example')).toBe(true);
    const waiting = await driver.insight(loop, insight.internetMessageId);
    expect(waiting.sequence.status).not.toBe('stopped');
    expect(waiting.deal).toBeUndefined();
    expect(waiting.nextAction.kind).toBe('review_label');

    const { status, body: decided } = await call(suite.baseUrl, 'POST', `v1/approvals/${review.id}/approve`, {
      token: loop.manager.token,
      json: { label: 'unsubscribe' },
    });
    expect(status).toBe(200);
    expect(decided.review.confirmedLabel).toBe('unsubscribe');

    await eventually(
      async () => ((await driver.prospectsWithStatus(loop, 'unsubscribed')).length > 0 ? true : undefined),
      'the confirmed unsubscribe to apply',
    );
    expect(await driver.prospectsWithStatus(loop, 'unsubscribed')).toEqual(['maya@unsure.example']);
    expect(await driver.mayEmail(loop, 'maya@unsure.example')).toBe(false);
    const applied = await eventually(async () => {
      const current = await driver.insight(loop, insight.internetMessageId);
      return current.sequence?.status === 'stopped' ? current : undefined;
    }, 'the sequence to stop');
    expect(applied.classification.label).toBe('unsubscribe');

    // A second answer changes nothing and applies nothing again.
    const again = await call(suite.baseUrl, 'POST', `v1/approvals/${review.id}/reject`, { token: loop.manager.token, json: {} });
    expect(again.status).toBe(409);
    const events = await driver.auditEvents(loop);
    const reviewed = events.filter((event) => event.type === 'reply.reviewed');
    expect(reviewed).toHaveLength(1);
    expect(reviewed[0]).toMatchObject({ actor: { type: 'user', id: loop.manager.userId }, payload: { label: 'unsubscribe' } });
    expect(events.filter((event) => event.type === 'suppression.added')).toHaveLength(1);
  });
});

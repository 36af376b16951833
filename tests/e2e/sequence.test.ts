import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, sleep, startSuite, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign, type LoopFixture } from '../support/governed-loop';

let suite: RunningSuite;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

async function sendFirstTouch(csv: string) {
  const loop = await prepareCampaign(suite.baseUrl, newTenantId(), csv);
  await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
  const [approval] = await pendingApprovals(loop, 1);
  await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
  const [touch] = await eventually(async () => {
    const sent = await outbox(loop);
    return sent.length ? sent : undefined;
  }, 'the first touch');
  return { loop, touch };
}

/** Moves the suite's clock a day at a time (firing due durable timers) until `probe` holds. */
async function daysPassUntil<T>(loop: LoopFixture, probe: () => Promise<T | undefined>, maxDays = 10): Promise<T | undefined> {
  for (let day = 0; day < maxDays; day += 1) {
    await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: 24 } });
    await sleep(300);
    const value = await probe();
    if (value !== undefined) return value;
  }
  return undefined;
}

const pendingFollowUp = (loop: LoopFixture) => async () => {
  const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body;
  return pending.find((approval) => approval.kind === 'step');
};

describe('sequences', () => {
  it('sends the follow-up after the wait, threaded as a reply to the first touch', async () => {
    const { loop, touch } = await sendFirstTouch('email,first_name,company\nfollow@up.example,Fay,FollowUp');
    const followUp = await daysPassUntil(loop, pendingFollowUp(loop));
    expect(followUp).toMatchObject({ kind: 'step', to: 'follow@up.example', subject: 'Re: Idea for FollowUp' });
    await call(suite.baseUrl, 'POST', `v1/approvals/${followUp.id}/approve`, { token: loop.manager.token, json: {} });
    const sent = await eventually(async () => {
      const mails = await outbox(loop);
      return mails.length === 2 ? mails : undefined;
    }, 'the follow-up');
    expect(sent[1].headers['In-Reply-To']).toBe(touch.internetMessageId);
    expect(sent[1].headers.References).toContain(touch.internetMessageId);
  });

  it('stops at a reply: the follow-up is never sent', async () => {
    const { loop, touch } = await sendFirstTouch('email,first_name,company\nstop@reply.example,Stu,Reply');
    await call(suite.baseUrl, 'POST', 'dev/mailbox/inbound', {
      json: {
        tenantId: loop.tenantId,
        from: 'stop@reply.example',
        to: loop.mailbox,
        subject: 'Re: Idea',
        body: 'Not interested, thanks.',
        inReplyTo: touch.internetMessageId,
      },
    });
    await eventually(async () => {
      const prospects = (await call<any[]>(suite.baseUrl, 'GET', 'v1/prospects?status=replied', { token: loop.operator.token })).body;
      return prospects.length ? true : undefined;
    }, 'the reply to be triaged');
    expect(await daysPassUntil(loop, pendingFollowUp(loop), 6)).toBeUndefined();
    expect(await outbox(loop)).toHaveLength(1);
  });

  it('stopping the campaign withdraws its pending approvals and sends nothing more', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,company\none@stop.example,One\ntwo@stop.example,Two');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const approvals = await pendingApprovals(loop, 2);
    const stopped = await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/stop`, {
      token: loop.manager.token,
      json: { reason: 'wrong list' },
    });
    expect(stopped.body).toMatchObject({ status: 'stopped', sequencesStopped: 2 });
    expect((await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body).toHaveLength(0);
    const late = await call(suite.baseUrl, 'POST', `v1/approvals/${approvals[0].id}/approve`, { token: loop.manager.token, json: {} });
    expect(late.status).toBe(409);
    await sleep(500);
    expect(await outbox(loop)).toHaveLength(0);
  });
});

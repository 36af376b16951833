import { expect, it } from 'vitest';
import { call, eventually, newTenantId, sleep, startSuite, type RunningSuite } from '../support/suite';
import { changePolicy, outbox, prepareCampaign, type LoopFixture } from '../support/governed-loop';

/** Starts a one-email campaign from the fixture's mailbox to one prospect. */
async function emailOne(loop: LoopFixture, email: string): Promise<void> {
  const prospects = (await call<{ id: string; email: string }[]>(loop.baseUrl, 'GET', 'v1/prospects', { token: loop.operator.token })).body;
  const created = await call(loop.baseUrl, 'POST', 'v1/campaigns', {
    token: loop.revops.token,
    json: {
      name: `To ${email}`,
      mailbox: loop.mailbox,
      sequence: { steps: [{ type: 'email', subject: 'Hi {{firstName}}', body: 'A note for {{company}}.', approval: 'none' }] },
    },
  });
  if (created.status !== 201) throw new Error(`campaign create failed: ${JSON.stringify(created.body)}`);
  const prospectIds = [prospects.find((prospect) => prospect.email === email)!.id];
  await call(loop.baseUrl, 'POST', `v1/campaigns/${created.body.id}/prospects`, { token: loop.revops.token, json: { prospectIds } });
  const started = await call(loop.baseUrl, 'POST', `v1/campaigns/${created.body.id}/start`, { token: loop.manager.token, json: {} });
  if (started.status >= 300) throw new Error(`start failed: ${JSON.stringify(started.body)}`);
}

// A restarted process remembers no send counter: a send it would make at once presumes them unwritten (the claim
// finds out otherwise), but a decision to ask for approval rests on what the store says was sent today.
it('tells the Manager asked to approve a first touch that its mailbox spent the day’s cap before a restart, and that it waits until tomorrow', async () => {
  let running: RunningSuite = await startSuite({ seed: false });
  try {
    const tenantId = newTenantId();
    let loop = await prepareCampaign(running.baseUrl, tenantId, 'email,first_name,company\nann@one.example,Ann,One\nbo@two.example,Bo,Two');
    await changePolicy(loop, (rules) => ({
      ...rules,
      approvals: { ...rules.approvals, firstTouch: false },
      caps: { ...rules.caps, sendsPerMailboxPerDay: 1 },
    }));
    await emailOne(loop, 'ann@one.example');
    await eventually(async () => ((await outbox(loop)).length === 1 ? true : undefined), 'the first email sent');

    const { dataDir } = running;
    await running.stop();
    running = await startSuite({ dataDir, reset: false, seed: false });
    loop = { ...loop, baseUrl: running.baseUrl };
    await changePolicy(loop, (rules) => ({ ...rules, approvals: { ...rules.approvals, firstTouch: true } }));
    await emailOne(loop, 'bo@two.example');

    const [approval] = await eventually(async () => {
      const pending = (await call<any[]>(loop.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body;
      return pending.length > 0 ? pending : undefined;
    }, 'the second first touch asked for approval');
    expect(approval.to).toBe('bo@two.example');
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(approval.decision.throttle).toEqual({ rule: 'caps.sendsPerMailboxPerDay', retryAt: tomorrow.toISOString() });
    await sleep(500);
    expect(await outbox(loop)).toHaveLength(1);
  } finally {
    await running.stop();
  }
}, 180_000);

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { costOf, oneEmailCampaign, replyTo, unattendedTenant, withoutSites, type LoopTenant } from '../support/loop-cost';

/**
 * Exact budgets, counted on the Cosmos client (one tap: the app's requests apart from the durable host's, query
 * plans apart) and in durable actions as the Durable Task Scheduler bills them. A change that spends more fails
 * here; one that spends less lowers the budget.
 */
const budget = {
  // The start route and the background start it launches are paid once per campaign, not per email.
  // The mailbox's and the recipient domain's send counters for the day are not read: those this process did not
  // write last are presumed unwritten, and the batch that claims the send's slots creates them.
  email: { cosmos: 8, startRoute: 3, startRouteDurableHost: 2, startRouteActions: 1, durableHost: 3, actions: 3 },
  // The same day, the same mailbox, the same company: both counters are as this process last wrote them, not read.
  emailToACompanyEmailedToday: { cosmos: 8 },
  // Intake stores the message (its key tells a touch of ours from a reply: no read first) and hands it to triage, one
  // activity: the touch, the prospect (each read once), the prospect marked replied, the message's triage written
  // once, one audit event. Existing deals are not looked up for a reply that cannot make one. The durable host
  // stores the triage's start and its end; the sequence the reply answers has just ended, and the host still
  // knows it has, so asking whether it runs reads nothing.
  reply: { cosmos: 6, crossPartition: 0, durableHost: 2, actions: 3 },
  // An unsubscribe: the address suppressed, the prospect (as read) marked unsubscribed, its sequences found in the
  // tenant's campaign partition (not across partitions) and stopped; the outcome's audit events in one batch.
  unsubscribeReply: { cosmos: 8, crossPartition: 0, actions: 3 },
  // A positive reply that makes its deal: the contact's and company's deals are looked up in the tenant's deal
  // partition, not across partitions; the company is read (what it holds stays), and the deal, the internal CRM's
  // contact, company and evidence note are written in one batch, the outcome's audit events in another.
  dealReply: { cosmos: 9, crossPartition: 0, actions: 3 },
};

let suite: LocalSuite;
let tenant: LoopTenant;

beforeAll(async () => {
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-budget-')), reset: true, seed: false, log: () => undefined });
  tenant = await unattendedTenant(suite);
  // A first email warms what every later send shares: the tenant's policy, its audit chain head.
  const warmUp = await oneEmailCampaign(suite, tenant, 'warm@budget-warm.example');
  await costOf(suite, [warmUp.instanceId], warmUp.start);
});

afterAll(() => suite?.close());

const explain = (bySite: Record<string, number>) => JSON.stringify(bySite, null, 1);

/** What triaging `body`, replied to a first email just sent to `email`, cost. */
async function costOfReply(email: string, body: string) {
  const campaign = await oneEmailCampaign(suite, tenant, email);
  await costOf(suite, [campaign.instanceId], campaign.start);
  const reply = await replyTo(suite, tenant.tenantId, email, body);
  return costOf(suite, [reply.instanceId], reply.deliver);
}

describe('the governed loop stays within its Cosmos and durable budgets', () => {
  it(`sending one email costs ${budget.email.cosmos} Cosmos requests and ${budget.email.actions} durable actions`, async () => {
    const campaign = await oneEmailCampaign(suite, tenant, 'pat@budget-one.example');
    const cost = await costOf(suite, [campaign.instanceId], campaign.start);

    expect(await suite.services.sandbox.sentItems(tenant.tenantId, 'pat@budget-one.example')).toHaveLength(1);
    const perEmail = withoutSites(cost.app, 'campaignsStart');
    expect(perEmail.requests, explain(perEmail.bySite)).toBe(budget.email.cosmos);
    expect(cost.app.requests - perEmail.requests, 'the start route, paid once per campaign').toBe(budget.email.startRoute);
    expect(cost.app.crossPartitionQueries).toBe(0);
    const durablePerEmail = withoutSites(cost.durable, 'instance:start');
    expect(durablePerEmail.requests, explain(cost.durable.bySite)).toBe(budget.email.durableHost);
    expect(cost.durable.requests - durablePerEmail.requests, 'the background start, paid once per campaign').toBe(budget.email.startRouteDurableHost);
    expect(cost.actions, JSON.stringify(cost.billed)).toBe(budget.email.actions);
    expect(cost.startActions, 'the background start: started, with nothing left after the first page').toBe(budget.email.startRouteActions);
  });

  it(`another email to a company emailed today from the same mailbox costs ${budget.emailToACompanyEmailedToday.cosmos} Cosmos requests`, async () => {
    const first = await oneEmailCampaign(suite, tenant, 'ann@budget-again.example');
    await costOf(suite, [first.instanceId], first.start);
    const second = await oneEmailCampaign(suite, tenant, 'bo@budget-again.example');
    const cost = await costOf(suite, [second.instanceId], second.start);

    expect(await suite.services.sandbox.sentItems(tenant.tenantId, 'bo@budget-again.example')).toHaveLength(1);
    const perEmail = withoutSites(cost.app, 'campaignsStart');
    expect(perEmail.requests, explain(perEmail.bySite)).toBe(budget.emailToACompanyEmailedToday.cosmos);
  });

  it(`triaging one reply costs ${budget.reply.cosmos} Cosmos requests and ${budget.reply.actions} durable actions`, async () => {
    const cost = await costOfReply('sam@budget-two.example', 'Not interested, we already have a vendor.');

    const [stored] = await suite.services.store.messages.query(tenant.tenantId, "c.direction = 'inbound'");
    expect(stored?.triage?.classification?.label).toBe('objection');
    expect(cost.app.requests, explain(cost.app.bySite)).toBe(budget.reply.cosmos);
    expect(cost.app.crossPartitionQueries).toBe(budget.reply.crossPartition);
    expect(cost.durable.requests, explain(cost.durable.bySite)).toBe(budget.reply.durableHost);
    expect(cost.actions, JSON.stringify(cost.billed)).toBe(budget.reply.actions);
  });

  it(`an unsubscribe reply costs ${budget.unsubscribeReply.cosmos} Cosmos requests, none across partitions`, async () => {
    const cost = await costOfReply('lee@budget-four.example', 'Please remove me from your list.');

    const suppressed = await suite.services.store.suppressions.query(tenant.tenantId, 'c["value"] = @email', [
      { name: '@email', value: 'lee@budget-four.example' },
    ]);
    expect(suppressed).toHaveLength(1);
    expect(cost.app.requests, explain(cost.app.bySite)).toBe(budget.unsubscribeReply.cosmos);
    expect(cost.app.crossPartitionQueries, explain(cost.app.bySite)).toBe(budget.unsubscribeReply.crossPartition);
    expect(cost.actions, JSON.stringify(cost.billed)).toBe(budget.unsubscribeReply.actions);
  });

  it(`a positive reply that makes its deal costs ${budget.dealReply.cosmos} Cosmos requests, none across partitions`, async () => {
    const cost = await costOfReply(
      'kit@budget-three.example',
      'Yes, this is interesting. Could we talk on Thursday afternoon? Please send me an invite.',
    );

    const deals = await suite.services.store.deals.query(tenant.tenantId, 'c.contactEmail = @email', [
      { name: '@email', value: 'kit@budget-three.example' },
    ]);
    expect(deals).toHaveLength(1);
    expect(cost.app.requests, explain(cost.app.bySite)).toBe(budget.dealReply.cosmos);
    expect(cost.app.crossPartitionQueries, explain(cost.app.bySite)).toBe(budget.dealReply.crossPartition);
    expect(cost.actions, JSON.stringify(cost.billed)).toBe(budget.dealReply.actions);
  });
});

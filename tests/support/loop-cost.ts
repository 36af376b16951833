import { randomUUID } from 'node:crypto';
import type { LocalSuite } from '../../local/src/start';
import type { Tally } from '../../functions/src/store/request-tap';
import { sequenceInstanceId, triageInstanceId } from '../../functions/src/orchestrations/instance-ids';
import { campaignStartOrchestration } from '../../functions/src/orchestrations/contracts/campaign-start';
import { call, signIn } from './suite';

/**
 * What one unit of work cost: Cosmos requests of the app and of the durable host, and billed durable actions
 * (`actions`; those of a campaign's background start, paid once per campaign, apart in `startActions`).
 */
export interface LoopCost {
  app: Tally;
  durable: Tally;
  actions: number;
  startActions: number;
  billed: Record<string, number>;
}

/** Measures `work` from before it starts until the instances it names have finished. */
export async function costOf(suite: LocalSuite, instanceIds: string[], work: () => Promise<void>): Promise<LoopCost> {
  const host = suite.services.durableHost;
  const finished = new Promise<void>((resolve) => {
    const waiting = new Set(instanceIds);
    const listener = (instanceId: string) => {
      waiting.delete(instanceId);
      if (waiting.size === 0) {
        host.events.off('finished', listener);
        resolve();
      }
    };
    host.events.on('finished', listener);
  });
  const startActions = () => host.billedByOrchestration.get(campaignStartOrchestration.name) ?? 0;
  const before = {
    app: suite.cosmosRequests.tally('app'),
    durable: suite.cosmosRequests.tally('durable'),
    billed: { ...host.billed },
    startActions: startActions(),
  };
  await work();
  await finished;
  await host.idle();
  const billed = Object.fromEntries(
    Object.entries(host.billed).map(([kind, count]) => [kind, count - before.billed[kind as keyof typeof before.billed]]),
  );
  const spentOnStart = startActions() - before.startActions;
  return {
    app: suite.cosmosRequests.since('app', before.app),
    durable: suite.cosmosRequests.since('durable', before.durable),
    actions: Object.values(billed).reduce((sum, count) => sum + count, 0) - spentOnStart,
    startActions: spentOnStart,
    billed,
  };
}

/** The route that starts a campaign is paid once per campaign, not per email: its sites are kept apart. */
export function withoutSites(tally: Tally, prefix: string): { requests: number; bySite: Record<string, number> } {
  const bySite = Object.fromEntries(Object.entries(tally.bySite).filter(([site]) => !site.startsWith(prefix)));
  return { requests: Object.values(bySite).reduce((sum, count) => sum + count, 0), bySite };
}

export interface LoopTenant {
  tenantId: string;
  admin: string;
}

/** A tenant whose first touches need no approval, so one email runs from start to sent unattended. */
export async function unattendedTenant(suite: LocalSuite): Promise<LoopTenant> {
  const tenantId = randomUUID();
  const admin = (await signIn(suite.baseUrl, tenantId, ['Admin', 'RevOps', 'Manager'], 'Budget admin')).token;
  const policy = await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin });
  const updated = await call(suite.baseUrl, 'PUT', 'v1/policies', {
    token: admin,
    json: {
      rules: {
        ...policy.body.rules,
        approvals: { ...policy.body.rules.approvals, firstTouch: false },
        // The budget is what one send costs, at whatever hour the test runs.
        sendingWindow: { ...policy.body.rules.sendingWindow, enabled: false },
      },
    },
  });
  if (updated.status !== 200) throw new Error(`policy update failed: ${JSON.stringify(updated.body)}`);
  return { tenantId, admin };
}

async function ok<T = any>(promise: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await promise;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Imports one prospect and enrols them in a new one-email campaign; answers what is needed to start it. */
export async function oneEmailCampaign(suite: LocalSuite, tenant: LoopTenant, email: string) {
  const { baseUrl } = suite;
  const token = tenant.admin;
  await ok(
    call(baseUrl, 'POST', 'v1/prospects/import', { token, text: `email,first_name,company\n${email},Pat,Budget Co`, contentType: 'text/csv' }),
    'import',
  );
  const prospects = await ok<{ id: string; email: string }[]>(call(baseUrl, 'GET', 'v1/prospects', { token }), 'prospects');
  const prospectId = prospects.find((prospect) => prospect.email === email)!.id;
  const campaign = await ok<{ id: string }>(
    call(baseUrl, 'POST', 'v1/campaigns', {
      token,
      json: {
        name: `Budget ${email}`,
        mailbox: 'seller@budget.example',
        sequence: { steps: [{ type: 'email', subject: 'Hi {{firstName}}', body: 'Hello {{firstName}} at {{company}}.', approval: 'none' }] },
      },
    }),
    'campaign',
  );
  await ok(call(baseUrl, 'POST', `v1/campaigns/${campaign.id}/prospects`, { token, json: { prospectIds: [prospectId] } }), 'enrol');
  return {
    campaignId: campaign.id,
    prospectId,
    instanceId: sequenceInstanceId(tenant.tenantId, campaign.id, prospectId),
    start: () => ok(call(baseUrl, 'POST', `v1/campaigns/${campaign.id}/start`, { token, json: {} }), 'start').then(() => undefined),
  };
}

/** Delivers a reply to the latest email sent to `to`; answers its triage instance and how to deliver it. */
export async function replyTo(suite: LocalSuite, tenantId: string, to: string, body: string) {
  const touch = (await suite.services.sandbox.sentItems(tenantId, to)).at(-1);
  if (!touch) throw new Error(`nothing was sent to ${to}`);
  const messageId = `<reply-${randomUUID()}@replies.example>`;
  return {
    instanceId: triageInstanceId(tenantId, messageId),
    deliver: () =>
      ok(
        call(suite.baseUrl, 'POST', 'dev/mailbox/inbound', {
          json: {
            tenantId,
            from: touch.to,
            to: touch.mailbox,
            subject: `Re: ${touch.subject}`,
            body,
            inReplyTo: touch.internetMessageId,
            headers: { 'Message-ID': messageId },
          },
        }),
        'inbound',
      ).then(() => undefined),
  };
}

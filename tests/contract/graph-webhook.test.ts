import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGraph, useGraph, type GraphConnection } from '../../functions/src/graph/connection';
import { connectedMailboxes, watchMailbox, watchesOf } from '../../functions/src/graph/mailbox-watch';
import { graphRecords, type MailboxWatchRecord } from '../../functions/src/graph/records';
import { demoTenant } from '../../local/src/seed';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { pendingApprovals, prepareCampaign } from '../support/governed-loop';
import { call, eventually, newTenantId } from '../support/suite';
import { startGraphFake, type GraphFake } from './fakes/graph';
import type { JsonObject } from './fakes/openapi-schema';
import { graphClient, inboxMessage, modelExchange, startBatchFront, type BatchFront, type ExchangeModel } from './graph-exchange';

const { tenantId, mailbox } = demoTenant;

let fake: GraphFake;
let front: BatchFront;
let exchange: ExchangeModel;
let suite: LocalSuite;
let graph: GraphConnection;

beforeAll(async () => {
  fake = await startGraphFake();
  front = await startBatchFront(fake);
  exchange = modelExchange(fake, front);
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-graph-')), reset: true, seed: true, log: () => undefined });
  graph = connectGraph(graphClient(front), suite.services.clock, {
    policy: { timeoutMs: 5_000, throttleRetries: 2, throttleDelaySeconds: 0.1, serverErrorRetries: 1, serverErrorBackoffMs: 50 },
    subscriptions: {
      notificationUrl: `${suite.baseUrl}/api/graph/notifications`,
      lifecycleNotificationUrl: `${suite.baseUrl}/api/graph/lifecycle`,
      lifetimeMinutes: 4230,
    },
  });
  useGraph(suite.services, graph);
});

afterAll(async () => {
  await suite?.close();
  await front?.close();
  await fake?.close();
});

/** Watches a mailbox through Graph (the fake validates our webhook first) and returns the clientState Graph holds. */
async function watch(address: string, ofTenant = tenantId): Promise<{ watch: MailboxWatchRecord; clientState: string }> {
  const record = await watchMailbox(suite.services, graph, ofTenant, address, 'contract test');
  return { watch: record, clientState: String(exchange.subscriptions.get(record.subscriptionId)!.clientState) };
}

function changeNotification(watched: MailboxWatchRecord, clientState: string, message: JsonObject): JsonObject {
  return {
    subscriptionId: watched.subscriptionId,
    subscriptionExpirationDateTime: watched.expiresAt,
    changeType: 'created',
    resource: `Users/${watched.mailbox}/Messages/${String(message.id)}`,
    resourceData: {
      '@odata.type': '#Microsoft.Graph.Message',
      '@odata.id': `Users/${watched.mailbox}/Messages/${String(message.id)}`,
      '@odata.etag': 'W/"CQAAABYAAAA"',
      id: message.id,
    },
    clientState,
    tenantId: watched.tenantId,
  };
}

function lifecycleNotification(watched: MailboxWatchRecord, clientState: string, lifecycleEvent: string): JsonObject {
  return {
    subscriptionId: watched.subscriptionId,
    subscriptionExpirationDateTime: watched.expiresAt,
    lifecycleEvent,
    clientState,
    tenantId: watched.tenantId,
  };
}

async function post(path: string, value: JsonObject[]): Promise<{ status: number; elapsedMs: number }> {
  const started = performance.now();
  const response = await fetch(`${suite.baseUrl}/api/graph/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ value }),
  });
  return { status: response.status, elapsedMs: performance.now() - started };
}

async function inbound(internetMessageId: unknown, ofTenant = tenantId) {
  return suite.services.store.messages.query(ofTenant, "c.direction = 'inbound' AND c.internetMessageId = @id", [
    { name: '@id', value: String(internetMessageId) },
  ]);
}

async function triaged(internetMessageId: unknown, what: string, ofTenant = tenantId) {
  return eventually(async () => {
    const [message] = await inbound(internetMessageId, ofTenant);
    return message?.triage?.status === 'done' ? message : undefined;
  }, what);
}

async function notificationsAbout(message: JsonObject) {
  return graphRecords(suite.services.store).notifications.query(tenantId, 'c.graphMessageId = @id', [{ name: '@id', value: String(message.id) }]);
}

describe('Graph change-notification webhook, in the local suite', () => {
  let primary: { watch: MailboxWatchRecord; clientState: string };
  beforeAll(async () => {
    primary = await watch(mailbox);
  });

  it('echoes the validation token as text/plain on both URLs, by GET or POST', async () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 6f1c+9a';
    for (const [path, method] of [
      ['notifications', 'POST'],
      ['lifecycle', 'GET'],
    ] as const) {
      const response = await fetch(`${suite.baseUrl}/api/graph/${path}?validationToken=${encodeURIComponent(token)}`, { method });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe(token);
    }
  });

  it('keeps a genuine notification, answers 202 at once, and triages the reply it names once however often it is delivered', async () => {
    const reply = inboxMessage({
      from: 'jane.doe@fabrikam.example',
      to: mailbox,
      subject: 'Re: Pipeline hygiene at Fabrikam',
      body: 'Yes, interested. Can we talk Thursday?',
    });
    fake.mailbox(mailbox).messages.push(reply);

    const first = await post('notifications', [changeNotification(primary.watch, primary.clientState, reply)]);
    expect(first.status).toBe(202);
    expect(first.elapsedMs).toBeLessThan(3_000);
    // Kept by the intake the 202 started, not before the answer.
    expect(
      await eventually(async () => {
        const kept = await notificationsAbout(reply);
        return kept.length > 0 ? kept : undefined;
      }, 'the notification to be kept'),
    ).toEqual([expect.objectContaining({ subscriptionId: primary.watch.subscriptionId, mailbox, tenantId })]);

    const message = await triaged(reply.internetMessageId, 'the notified reply to be triaged');
    expect(message).toMatchObject({
      from: 'jane.doe@fabrikam.example',
      body: 'Yes, interested. Can we talk Thursday?',
      triage: { classification: { label: 'positive' } },
    });
    await eventually(async () => ((await notificationsAbout(reply))[0]?.status === 'received' ? true : undefined), 'the notification to be settled');

    expect((await post('notifications', [changeNotification(primary.watch, primary.clientState, reply)])).status).toBe(202);
    await suite.services.durableHost.idle();
    expect(await inbound(reply.internetMessageId)).toHaveLength(1);
    expect(await notificationsAbout(reply)).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('drops a notification with the wrong clientState, audits it without the value, and still answers 202', async () => {
    const forged = inboxMessage({ from: 'ravi.patel@northwind.example', to: mailbox, subject: 'Re: hi', body: 'Yes please, send a contract.' });
    fake.mailbox(mailbox).messages.push(forged);
    const wrongState = 'not-the-client-state-graph-was-given';

    expect((await post('notifications', [changeNotification(primary.watch, wrongState, forged)])).status).toBe(202);
    expect(
      (
        await post('notifications', [
          { ...changeNotification(primary.watch, primary.clientState, forged), subscriptionId: '7b1d2c3e-0000-4000-8000-000000000000' },
        ])
      ).status,
    ).toBe(202);

    await suite.services.durableHost.idle();
    expect(await notificationsAbout(forged)).toEqual([]);
    expect(await inbound(forged.internetMessageId)).toEqual([]);
    const { resources: audited } = await suite.services.store.auditContainer.items
      .query({
        query: 'SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = @type',
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@type', value: 'graph.notification_rejected' },
        ],
      })
      .fetchAll();
    expect(audited).toEqual([
      expect.objectContaining({
        payload: { subscriptionId: primary.watch.subscriptionId, mailbox, reason: 'the clientState does not match the subscription' },
      }),
    ]);
    expect(JSON.stringify(audited)).not.toContain(wrongState);
  });

  it('never takes the mailbox’s own messages for replies', async () => {
    const own = inboxMessage({ from: mailbox, to: 'jane.doe@fabrikam.example', subject: 'Note to self', body: 'Call Jane back.' });
    fake.mailbox(mailbox).messages.push(own);

    expect((await post('notifications', [changeNotification(primary.watch, primary.clientState, own)])).status).toBe(202);
    const [record] = await eventually(async () => {
      const records = await notificationsAbout(own);
      return records[0]?.status === 'ignored' ? records : undefined;
    }, 'the notification about our own message to be settled');
    expect(record!.outcome).toBe('written by the mailbox itself');
    expect(await inbound(own.internetMessageId)).toEqual([]);
  });

  it('catches up with a delta round when Graph reports missed notifications', async () => {
    const missed = inboxMessage({
      from: 'lena.fischer@adatum.example',
      to: mailbox,
      subject: 'Re: Pipeline hygiene at Adatum',
      body: 'Please remove me from your list.',
    });
    fake.mailbox(mailbox).messages.push(missed);

    expect((await post('lifecycle', [lifecycleNotification(primary.watch, primary.clientState, 'missed')])).status).toBe(202);

    const message = await triaged(missed.internetMessageId, 'the missed reply to be triaged');
    expect(message.triage?.classification?.label).toBe('unsubscribe');
    expect(fake.requestsTo('GET /users/{user-id}/mailFolders/{mailFolder-id}/messages/delta()')).toHaveLength(1);
    const [current] = await watchesOf(suite.services, tenantId, mailbox);
    expect(current!.deltaLink).toMatch(/\$deltatoken=/);
    // The replies ingested earlier came round again in the delta and still count once.
    expect(
      await inbound(fake.mailbox(mailbox).messages.find((item) => item.subject === 'Re: Pipeline hygiene at Fabrikam')!.internetMessageId),
    ).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });
});

describe('Graph subscription lifecycle, in the local suite', () => {
  it('renews the subscription when Graph asks for reauthorization', async () => {
    const { watch: watched, clientState } = await watch('rita.rep@demo.asep.local');
    expect((await post('lifecycle', [lifecycleNotification(watched, clientState, 'reauthorizationRequired')])).status).toBe(202);

    const renewed = await eventually(async () => {
      const [current] = await watchesOf(suite.services, tenantId, watched.mailbox);
      return current && current.expiresAt !== watched.expiresAt ? current : undefined;
    }, 'the subscription to be renewed');
    expect(fake.requestsTo('PATCH /subscriptions/{subscription-id}').map((request) => request.pathParams['subscription-id'])).toContain(
      watched.subscriptionId,
    );
    expect(exchange.subscriptions.get(watched.subscriptionId)!.expirationDateTime).toBe(renewed.expiresAt);
  });

  it('subscribes again and catches up when Graph removes the subscription', async () => {
    const address = 'sam.rep@demo.asep.local';
    const { watch: watched, clientState } = await watch(address);
    const arrived = inboxMessage({
      from: 'marco.rossi@litware.example',
      to: address,
      subject: 'Re: Litware',
      body: 'Not interested, we already have a vendor.',
    });
    fake.mailbox(address).messages.push(arrived);

    expect((await post('lifecycle', [lifecycleNotification(watched, clientState, 'subscriptionRemoved')])).status).toBe(202);

    await triaged(arrived.internetMessageId, 'the reply that arrived meanwhile to be triaged');
    const [replacement] = await watchesOf(suite.services, tenantId, address);
    expect(replacement).toMatchObject({ mailbox: address, watchedSince: watched.watchedSince });
    expect(replacement!.subscriptionId).not.toBe(watched.subscriptionId);
    expect(exchange.subscriptions.has(watched.subscriptionId)).toBe(false);
    expect(exchange.subscriptions.has(replacement!.subscriptionId)).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('counts every campaign mailbox as connected, and the upkeep subscribes one that has no subscription yet', async () => {
    expect(await connectedMailboxes(suite.services, tenantId)).toEqual(
      expect.arrayContaining([mailbox, 'rita.rep@demo.asep.local', 'sam.rep@demo.asep.local']),
    );
    const address = 'new.rep@demo.asep.local';
    const instanceId = await suite.services.durableHost.start('graphWatchUpkeep', undefined, {
      tenantId,
      mailbox: address,
      reason: 'upkeep',
      correlationId: 'upkeep-test',
    });
    const finished = await eventually(async () => {
      const status = await suite.services.durableHost.status(instanceId);
      return status?.runtimeStatus === 'Completed' || status?.runtimeStatus === 'Failed' ? status : undefined;
    }, 'the upkeep to finish');
    expect(finished.output).toMatch(/^subscribed; 0 message\(s\) caught up$/);
    expect(await watchesOf(suite.services, tenantId, address)).toEqual([expect.objectContaining({ mailbox: address })]);
  });
});

describe('The governed loop over Graph, in the local suite', () => {
  it('sends the approved touch through Graph and matches the reply Graph notifies to it', async () => {
    const sandbox = suite.services.mail;
    suite.services.mail = graph.mail;
    try {
      const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nkim@loop.example,Kim,Loop');
      const { watch: watched, clientState } = await watch(loop.mailbox, loop.tenantId);
      await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
      const [approval] = await pendingApprovals(loop, 1);
      await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
      const sentItems = () => fake.mailbox(loop.mailbox).messages.filter((message) => message.parentFolderId === 'sentitems');
      const [sent] = await eventually(async () => (sentItems().length > 0 ? sentItems() : undefined), 'the touch to leave through Graph');
      expect(sent).toMatchObject({ subject: 'Idea for Loop', toRecipients: [{ emailAddress: { address: 'kim@loop.example' } }] });

      const reply = inboxMessage({
        from: 'kim@loop.example',
        to: loop.mailbox,
        subject: 'RE: Idea for Loop',
        body: 'Yes, interested. Can we talk Thursday?',
        inReplyTo: String(sent!.internetMessageId),
      });
      fake.mailbox(loop.mailbox).messages.push(reply);
      expect((await post('notifications', [changeNotification(watched, clientState, reply)])).status).toBe(202);

      const message = await triaged(reply.internetMessageId, 'the reply to the Graph touch to be triaged', loop.tenantId);
      const [touch] = await suite.services.store.touches.query(loop.tenantId, "c.direction = 'outbound'");
      expect(touch).toMatchObject({ internetMessageId: sent!.internetMessageId, status: 'sent' });
      expect(message.triage).toMatchObject({ matchedTouchId: touch!.id, classification: { label: 'positive' } });
      expect(sentItems()).toHaveLength(1);
      expect(fake.violations).toEqual([]);
    } finally {
      suite.services.mail = sandbox;
    }
  });
});

/**
 * The governed loop end to end on the local stack: first touches from start to sent, then replies in their
 * threads from arrival to triaged, with the Graph webhook acknowledging notifications meanwhile. Cosmos requests
 * come from the one tap on the suite's clients (the app's apart from the durable host's, query plans apart, request
 * units from the response headers); the work is checked: every email sent exactly once, every reply labelled as
 * its text says, no orchestration failed.
 */
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalSuite, type LocalSuite } from '../local/src/start';
import { sequenceInstanceId, triageInstanceId } from '../functions/src/orchestrations/instance-ids';
import { withoutSites } from '../tests/support/loop-cost';
import { allProspects, api, tokenFor, unattendedSending } from './bench-api';
import { ReplyClient } from './reply-client';
import { measureWebhookAck } from './webhook-ack';
import { median, percentile, type Report } from './report';

export interface LoopSize {
  /** First touches, spread over 10 mailboxes so the per-mailbox caps are not what is measured. */
  emails: number;
  /** Replies per timed run. */
  replies: number;
  /** Timed triage runs; figures are their median. */
  runs: number;
  inFlight: number;
  webhookNotifications: number;
}

/** Replies whose label is not in doubt, each with the label triage must give it. */
const replies = [
  { body: 'Yes, interested. Can we talk Thursday?', label: 'positive' },
  { body: 'Not interested, we already have a vendor.', label: 'objection' },
  { body: 'Please remove me from your list.', label: 'unsubscribe' },
  { body: 'Thanks, what does it cost?', label: 'neutral' },
  { body: 'I am out of the office until Monday with limited access to email.', label: 'ooo' },
] as const;

const mailboxes = 10;

/** Resolves with the runtime status of each named instance as it finishes. */
function whenFinished(suite: LocalSuite, instanceIds: Iterable<string>): Promise<Map<string, string>> {
  const waiting = new Set(instanceIds);
  const outcomes = new Map<string, string>();
  return new Promise((resolve) => {
    const listener = (instanceId: string, status: string) => {
      if (!waiting.delete(instanceId)) return;
      outcomes.set(instanceId, status);
      if (waiting.size === 0) {
        suite.services.durableHost.events.off('finished', listener);
        resolve(outcomes);
      }
    };
    suite.services.durableHost.events.on('finished', listener);
  });
}

const count = (values: Iterable<string>, wanted: string) => [...values].filter((value) => value === wanted).length;

/** Runs the loop on a fresh seeded suite, then `more` against the same suite (bot, webhook, pane, import). */
export async function benchGovernedLoop(report: Report, size: LoopSize, more: (suite: LocalSuite) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asep-bench-'));
  // Seeded: the bot round trip and the taskpane act on the demo tenant, as the Agents Playground and Outlook do.
  const suite = await startLocalSuite({ port: 0, dataDir, reset: true, seed: true, log: () => undefined });
  const replyClient = new ReplyClient(suite, size.inFlight);
  try {
    const { baseUrl } = suite;
    const tenantId = '11111111-2222-4333-8444-555555555555';
    const admin = await tokenFor(baseUrl, tenantId, ['Admin', 'RevOps', 'Manager']);
    const perMailbox = Math.ceil(size.emails / mailboxes);
    await unattendedSending(baseUrl, admin, perMailbox + 10);
    const csv = [
      'email,first_name,company',
      ...Array.from({ length: size.emails }, (_, i) => `p${i}@bench${i % 40}.example,P${i},Bench ${i % 40}`),
    ].join('\n');
    await api(baseUrl, 'POST', 'v1/prospects/import', admin, csv, 'text/csv');
    const list = (await allProspects(baseUrl, admin)).filter((prospect) => prospect.email.endsWith('.example') && prospect.email.startsWith('p'));
    const campaigns: { id: string; prospectIds: string[] }[] = [];
    for (let m = 0; m < mailboxes; m += 1) {
      const prospectIds = list.slice(m * perMailbox, (m + 1) * perMailbox).map((p) => p.id);
      if (prospectIds.length === 0) continue;
      const campaign = await api(baseUrl, 'POST', 'v1/campaigns', admin, {
        name: `Bench ${m}`,
        mailbox: `seller${m}@bench-vendor.example`,
        sequence: { steps: [{ type: 'email', subject: 'Hi {{firstName}}', body: 'Hello {{firstName}} at {{company}}.', approval: 'none' }] },
      });
      await api(baseUrl, 'POST', `v1/campaigns/${campaign.id}/prospects`, admin, { prospectIds });
      campaigns.push({ id: campaign.id, prospectIds });
    }

    // Sending: from the campaign starts until every sequence has finished.
    const tap = suite.cosmosRequests;
    const host = suite.services.durableHost;
    const beforeSend = { app: tap.tally('app'), durable: tap.tally('durable'), actions: host.billedActions };
    const sequences = campaigns.flatMap((campaign) => campaign.prospectIds.map((id) => sequenceInstanceId(tenantId, campaign.id, id)));
    const sequencesDone = whenFinished(suite, sequences);
    const sendStart = performance.now();
    for (const campaign of campaigns) await api(baseUrl, 'POST', `v1/campaigns/${campaign.id}/start`, admin, {});
    const sequenceOutcomes = await sequencesDone;
    const sendSeconds = (performance.now() - sendStart) / 1000;
    await host.idle();
    const sendApp = tap.since('app', beforeSend.app);
    const perEmail = withoutSites(sendApp, 'campaignsStart');
    const sendDurable = withoutSites(tap.since('durable', beforeSend.durable), 'instance:start');
    const sendActions = host.billedActions - beforeSend.actions;

    const sent = await suite.services.sandbox.sentItems(tenantId);
    const sentTo = new Map<string, number>();
    for (const item of sent) sentTo.set(item.to, (sentTo.get(item.to) ?? 0) + 1);
    const twice = [...sentTo.values()].filter((times) => times > 1).length;
    const missing = list.length - sentTo.size;
    report.check(
      'every first touch sent exactly once',
      sent.length === list.length && twice === 0 && missing === 0,
      `${sent.length} sent to ${sentTo.size} of ${list.length} prospects, ${twice} twice`,
    );
    report.check(
      'no send orchestration failed',
      count(sequenceOutcomes.values(), 'Completed') === sequences.length,
      `${count(sequenceOutcomes.values(), 'Completed')} of ${sequences.length} completed`,
    );

    const emails = Math.max(1, sent.length);
    report.record('emails_sent', sent.length, 'emails');
    report.record('send_per_s', sent.length / sendSeconds, 'emails/s');
    // Sent all at once: sends on one mailbox race for its counters, and a claim that lost retries (a read and a
    // batch more), and a mailbox's first send refreshes its rep. One email alone costs what loop-budget.test.ts says.
    report.record(
      'cosmos_requests_per_email',
      perEmail.requests / emails,
      `requests (${emails} sent at once from ${campaigns.length} mailboxes; one alone: see loop-budget.test.ts)`,
      '≤ 9',
    );
    console.log(`  per email, by call site: ${perSite(perEmail.bySite, emails)}`);
    report.record('cosmos_request_units_per_email', sendApp.requestUnits / emails, 'RU');
    report.record('cosmos_query_plans_per_email', sendApp.queryPlans / emails, 'plans (not billed)');
    report.record('cosmos_cross_partition_queries_per_email', sendApp.crossPartitionQueries / emails, 'queries', '≤ 0');
    report.record('campaign_start_route_requests', (sendApp.requests - perEmail.requests) / campaigns.length, 'requests per campaign');
    report.record('durable_host_requests_per_email', sendDurable.requests / emails, 'requests (task hub)');
    report.record('durable_actions_per_email', sendActions / emails, 'actions', '≤ 5');

    // Triage: replies in the threads of the sent touches, `inFlight` at a time.
    const expected = new Map<string, string>();
    let failedTriages = 0;
    /** The `i`th reply of a batch: by default the touches and the reply kinds in turn. */
    type Pick = (i: number) => { touch: (typeof sent)[number]; reply: (typeof replies)[number] };
    const inTurn: Pick = (i) => ({ touch: sent[i % sent.length]!, reply: replies[i % replies.length]! });
    const deliverReplies = async (batch: string, replyCount: number, pick: Pick = inTurn, client = replyClient) => {
      const delivered = await client.deliver(
        Array.from({ length: replyCount }, (_, i) => {
          const messageId = `<bench-${batch}-${i}@replies.example>`;
          const { touch, reply } = pick(i);
          expected.set(messageId, reply.label);
          return {
            instanceId: triageInstanceId(tenantId, messageId),
            body: {
              tenantId,
              from: touch.to,
              to: touch.mailbox,
              subject: `Re: ${touch.subject}`,
              body: reply.body,
              inReplyTo: touch.internetMessageId,
              headers: { 'Message-ID': messageId },
            },
          };
        }),
      );
      await host.idle();
      // A failed triage is no fast one: it is counted apart and left out of the latencies.
      failedTriages += delivered.failed;
      return delivered;
    };

    // Counted on its own, with nothing else running, so the figures are what a reply costs: each kind of reply
    // apart, to touches of its own (a second reply from the same prospect costs otherwise), because the kinds
    // cost differently and the budget test counts them apart (tests/e2e/loop-budget.test.ts). The issue's
    // per-reply target is checked on a reply that makes no deal and suppresses no one, and on the mean over the
    // kinds, where a positive reply making its deal and an unsubscribe suppressing the address and stopping the
    // prospect's sequences cost more.
    const perKind = Math.max(1, Math.floor(Math.min(100, size.replies, sent.length) / replies.length));
    const counted = perKind * replies.length;
    const byKind = new Map<string, { app: ReturnType<typeof tap.since>; durable: ReturnType<typeof tap.since>; actions: number }>();
    for (const [k, reply] of replies.entries()) {
      const before = { app: tap.tally('app'), durable: tap.tally('durable'), actions: host.billedActions };
      await deliverReplies(`counted-${reply.label}`, perKind, (i) => ({ touch: sent[k * perKind + i]!, reply }));
      byKind.set(reply.label, {
        app: tap.since('app', before.app),
        durable: tap.since('durable', before.durable),
        actions: host.billedActions - before.actions,
      });
    }
    const all = [...byKind.values()];
    const sum = (of: (cost: (typeof all)[number]) => number) => all.reduce((total, cost) => total + of(cost), 0);
    const replyApp = {
      requests: sum((cost) => cost.app.requests),
      requestUnits: sum((cost) => cost.app.requestUnits),
      queryPlans: sum((cost) => cost.app.queryPlans),
      crossPartitionQueries: sum((cost) => cost.app.crossPartitionQueries),
    };
    const replyDurable = { requests: sum((cost) => cost.durable.requests) };
    const replyActions = sum((cost) => cost.actions);

    // Timed, with Graph change notifications arriving one after another meanwhile, after one run untimed: a suite
    // in service has compiled its hot paths and filled its caches (as the import bench warms up too), and the
    // first run here, the first load this process sees, was always the slowest by a fifth.
    await deliverReplies('warm-up', size.replies);
    const p95s: number[] = [];
    const throughputs: number[] = [];
    const ackP99s: number[] = [];
    const cpuPerReply: number[] = [];
    const suiteThreadBusy: number[] = [];
    for (let run = 0; run < size.runs; run += 1) {
      const cpuBefore = process.cpuUsage();
      const loopBefore = performance.eventLoopUtilization();
      const acks = measureWebhookAck(baseUrl, size.webhookNotifications);
      const { latencies, seconds } = await deliverReplies(`run${run}`, size.replies);
      p95s.push(percentile(latencies, 95));
      throughputs.push(size.replies / seconds);
      ackP99s.push((await acks).p99);
      const cpu = process.cpuUsage(cpuBefore);
      cpuPerReply.push((cpu.user + cpu.system) / 1000 / size.replies);
      suiteThreadBusy.push(100 * performance.eventLoopUtilization(loopBefore).utilization);
    }

    // One reply at a time, nothing queued ahead of it: what of the figure above is the work itself.
    const oneAtATime = new ReplyClient(suite, 1);
    const alone = await deliverReplies('one-at-a-time', Math.min(200, size.replies), inTurn, oneAtATime).finally(() => oneAtATime.close());

    const inbound = await suite.services.store.messages.query(tenantId, "c.direction = 'inbound'");
    const labelled = new Map(inbound.map((message) => [message.internetMessageId, message.triage?.classification?.label]));
    const wrong = [...expected].filter(([messageId, label]) => labelled.get(messageId) !== label);
    report.check('every reply triaged, none failed', failedTriages === 0, `${failedTriages} of ${expected.size} triages failed`);
    report.check(
      'every reply labelled as delivered',
      wrong.length === 0,
      `${expected.size - wrong.length} of ${expected.size} labelled as sent${wrong[0] ? `; e.g. ${wrong[0][0]} expected ${wrong[0][1]}, got ${labelled.get(wrong[0][0])}` : ''}`,
    );

    report.recordRuns('triage_p95_ms', p95s, `ms (${size.replies} replies, ${size.inFlight} in flight)`, '≤ 200');
    report.recordRuns('triage_per_s', throughputs, 'replies/s', '≥ 100');
    report.recordRuns('webhook_ack_p99_ms_under_triage', ackP99s, 'ms', '≤ 100');
    // Less at the mercy of the machine's load than the timings: what a reply costs this process in CPU (the
    // suite, its emulator thread and the bench's own client, webhook notifications included).
    report.recordRuns('triage_cpu_ms_per_reply', cpuPerReply, 'ms CPU (process, all threads)');
    // Near 100 %, the thread the suite runs on is the queue the p95 waits in (the emulator and the bench's client
    // have threads of their own).
    report.recordRuns('triage_suite_thread_busy_pct', suiteThreadBusy, '% of the time (event loop utilisation)');
    report.record('triage_p95_ms_one_in_flight', percentile(alone.latencies, 95), `ms (${alone.latencies.length} replies, one at a time)`);
    // Little's law: replies in flight wait on average in flight ÷ throughput, and the throughput is at most the
    // cores ÷ the CPU a reply costs. Above the p95 target, no scheduling meets it on this machine.
    const cores = availableParallelism();
    report.record(
      'triage_mean_latency_floor_ms',
      (size.inFlight * median(cpuPerReply)) / cores,
      `ms (${size.inFlight} in flight × CPU per reply ÷ ${cores} cores, every core busy)`,
    );
    const perReply = (label: string) => byKind.get(label)!.app.requests / perKind;
    report.record('cosmos_requests_per_reply', perReply('objection'), 'requests (an objection: no deal, no suppression)', '≤ 7');
    report.record('cosmos_requests_per_positive_reply', perReply('positive'), 'requests (makes its deal)');
    report.record('cosmos_requests_per_unsubscribe_reply', perReply('unsubscribe'), 'requests (suppresses, stops sequences)');
    report.record('cosmos_requests_per_reply_all_kinds', replyApp.requests / counted, `requests (mean over ${replies.length} kinds)`, '≤ 7');
    report.record('cosmos_request_units_per_reply', replyApp.requestUnits / counted, 'RU');
    report.record('cosmos_query_plans_per_reply', replyApp.queryPlans / counted, 'plans (not billed)');
    report.record('cosmos_cross_partition_queries_per_reply', replyApp.crossPartitionQueries / counted, 'queries', '≤ 0');
    report.record('durable_host_requests_per_reply', replyDurable.requests / counted, 'requests (task hub)');
    report.record('durable_actions_per_reply', replyActions / counted, 'actions', '≤ 3');

    await more(suite);
  } finally {
    await replyClient.close();
    await suite.close();
  }
}

/** Requests per unit of work at each call site, the costliest first: where a figure above its budget comes from. */
function perSite(bySite: Record<string, number>, units: number): string {
  return Object.entries(bySite)
    .sort(([, a], [, b]) => b - a)
    .map(([site, count]) => `${site} ${(count / units).toFixed(2)}`)
    .join(', ');
}

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, newTenantId, signIn, sleep, startSuite, type RunningSuite } from './suite';

export interface SoakOptions {
  prospects: number;
  kills: number;
  /** The longest a suite runs before it is killed; each run lasts a random part of it. */
  maxRunMs: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  prospects: number;
  kills: number;
  /** Messages in the provider's Sent Items (the sandbox mailbox), not our own records. */
  sent: number;
  duplicates: string[];
  lost: string[];
}

/**
 * Runs one campaign to `prospects` recipients while killing the suite (SIGKILL) at random moments, restarting it
 * on the same data each time, then counts what the mailbox actually sent: exactly one message per prospect.
 */
export async function crashSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), 'asep-soak-'));
  let suite: RunningSuite = await startSuite({ dataDir, reset: true, seed: false });
  const tenantId = newTenantId();
  const admin = await signIn(suite.baseUrl, tenantId, ['Admin', 'RevOps', 'Manager']);
  const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body;
  const rules = {
    ...policy.rules,
    approvals: { ...policy.rules.approvals, firstTouch: false },
    sendingWindow: { ...policy.rules.sendingWindow, enabled: false },
    caps: {
      ...policy.rules.caps,
      sendsPerMailboxPerMinute: 30,
      sendsPerMailboxPerHour: 1_800,
      sendsPerMailboxPerDay: 10_000,
      newRecipientsPerMailboxPerDay: 10_000,
      sendsPerRecipientDomainPerDay: 10_000,
    },
  };
  const saved = await call(suite.baseUrl, 'PUT', 'v1/policies', { token: admin.token, json: { rules, version: policy.version } });
  if (saved.status !== 200) throw new Error(`policy: ${JSON.stringify(saved.body)}`);

  const emails = Array.from({ length: options.prospects }, (_, index) => `p${index}@soak${index}.example`);
  const csv = ['email,first_name,company', ...emails.map((email, index) => `${email},P${index},Soak ${index}`)].join('\n');
  await call(suite.baseUrl, 'POST', 'v1/prospects/import', { token: admin.token, text: csv, contentType: 'text/csv' });
  const campaign = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
    token: admin.token,
    json: {
      name: 'Crash soak',
      // Exchange sends at most 30 a minute from one mailbox: a team of reps shares the campaign.
      mailboxes: Array.from({ length: Math.ceil(options.prospects / 20) }, (_, index) => `rep${index}@soak-tenant.example`),
      assignment: { rule: 'round_robin' },
      sequence: { steps: [{ type: 'email', subject: 'Hello {{company}}', body: 'Hi {{firstName}}, one note.', approval: 'none' }] },
    },
  });
  const prospectIds = (await call<{ id: string }[]>(suite.baseUrl, 'GET', 'v1/prospects', { token: admin.token })).body.map(
    (prospect) => prospect.id,
  );
  await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, { token: admin.token, json: { prospectIds } });
  const started = await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/start`, { token: admin.token, json: {} });
  if (started.status !== 202) throw new Error(`start: ${JSON.stringify(started.body)}`);

  const sentItems = async () =>
    (await call<{ to: string }[]>(suite.baseUrl, 'GET', `dev/mailbox/outbox?tenantId=${tenantId}`)).body.map((message) => message.to);

  for (let kill = 1; kill <= options.kills; kill += 1) {
    await sleep(200 + Math.random() * options.maxRunMs);
    await suite.kill();
    log(`kill ${kill}/${options.kills}`);
    suite = await startSuite({ dataDir, reset: false, seed: false });
    log(`restarted: ${(await sentItems()).length} sent so far`);
  }

  const deadline = Date.now() + 180_000;
  let sent = await sentItems();
  while (new Set(sent).size < emails.length && Date.now() < deadline) {
    await sleep(500);
    sent = await sentItems();
  }
  // Anything still in flight would show as a duplicate now: give it a moment to arrive.
  await sleep(1_000);
  sent = await sentItems();
  await suite.stop();

  const counts = new Map<string, number>();
  for (const to of sent) counts.set(to, (counts.get(to) ?? 0) + 1);
  return {
    prospects: emails.length,
    kills: options.kills,
    sent: sent.length,
    duplicates: [...counts].filter(([, count]) => count > 1).map(([to, count]) => `${to} ×${count}`),
    lost: emails.filter((email) => !counts.has(email)),
  };
}

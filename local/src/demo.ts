/**
 * `npm run demo`: drives the seeded demo campaign through the HTTP API of a running local suite and
 * narrates each step, so a newcomer sees the governed loop go all the way round in a minute.
 */
import type { Approval } from '@asep/shared/approvals/approval';
import { citedSentences, draftAuthorNote, factOrigin } from '@asep/shared/drafting/evidence-view';
import { policyDecisionSchema } from '@asep/shared/policy/decision';
import { demoTenant } from './seed';

const baseUrl = (process.env.ASEP_URL ?? 'http://localhost:7071').replace(/\/$/, '');
const { tenantId } = demoTenant;

async function api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function tokenFor(role: string): Promise<string> {
  const user = demoTenant.users.find((candidate) => (candidate.roles as readonly string[]).includes(role))!;
  const { access_token } = await api<{ access_token: string }>('POST', 'dev/token', undefined, {
    tenantId,
    userId: user.userId,
    name: user.name,
    roles: user.roles,
  });
  return access_token;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let stepNumber = 0;
function step(text: string): void {
  stepNumber += 1;
  console.log(`\n${stepNumber}. ${text}`);
}
const detail = (text: string) => console.log(`   ${text}`);

interface SentMail {
  internetMessageId: string;
  to: string;
  subject: string;
  sentAt: string;
}

async function main(): Promise<void> {
  await api('GET', 'healthz').catch(() => {
    throw new Error(`No suite answers at ${baseUrl}. Start it first with: npm start`);
  });
  const [manager, operator, auditor] = await Promise.all(['Manager', 'Operator', 'Auditor'].map(tokenFor));
  const prospect = demoTenant.prospects[0]!;

  step(`A Manager starts the campaign "${demoTenant.campaignId}" (one durable sequence per enrolled prospect).`);
  const started = await api<{ started: number; alreadyRunning: number }>('POST', `v1/campaigns/${demoTenant.campaignId}/start`, manager, {});
  detail(`${started.started} sequence(s) started, ${started.alreadyRunning} already running.`);

  const outbox = () => api<SentMail[]>('GET', `dev/mailbox/outbox?tenantId=${tenantId}&to=${encodeURIComponent(prospect.email)}`);
  let [sent] = await outbox();
  if (!sent) {
    step('Research reads each prospect\'s company site and CRM account; each email is drafted citing what it found.');
    const approvals = await waitFor('approvals', async () => {
      const pending = await api<Approval[]>('GET', 'v1/approvals?status=pending', manager);
      return pending.some((approval) => approval.to === prospect.email) ? pending : undefined;
    });
    const approval = approvals.find((candidate) => candidate.to === prospect.email)!;
    const sources = [...new Set(approval.evidence.facts.map((fact) => fact.source))];
    detail(`${approval.evidence.facts.length} facts about ${prospect.company} (${sources.join(', ')}); ${draftAuthorNote(approval.evidence.author) ?? ''}`);
    for (const sentence of citedSentences(approval.evidence)) {
      detail(`sentence: “${sentence.text}”`);
      for (const fact of sentence.facts) detail(`   rests on: ${fact.fact} (${factOrigin(fact)})`);
    }

    step('The policy engine asks for approval of every first touch; the .gov prospect is blocked outright.');
    for (const pending of approvals) {
      const rules = policyDecisionSchema.safeParse(pending.decision).data?.reasons.filter((reason) => reason.outcome !== 'pass') ?? [];
      detail(`pending: ${pending.to} — "${pending.subject}" (${rules.map((reason) => reason.rule).join(', ')})`);
    }

    step(`The Manager approves the email to ${prospect.email} (the same decision as the Teams card's Approve).`);
    await api('POST', `v1/approvals/${approval.id}/approve`, manager, {});
    detail(`approval ${approval.id} approved`);

    step('Policy and kill switch are checked again at send time; the sandbox mailbox sends it exactly once.');
    const approvedAt = Date.now();
    [sent] = await waitFor('the send', async () => {
      const mails = await outbox();
      if (mails.length > 0) return mails;
      // Outside the prospect's business hours the sending window holds the email: move the sandbox clock on an hour.
      if (Date.now() - approvedAt > 3_000) await api('POST', 'dev/clock/advance', undefined, { hours: 1 });
      return undefined;
    }, 60_000);
  } else {
    step('The first touch to the demo prospect was already sent by an earlier run.');
  }
  detail(`sent ${sent!.internetMessageId} to ${sent!.to} at ${sent!.sentAt}`);

  step(`${prospect.firstName} replies in the thread; the mailbox notification starts reply triage.`);
  const { internetMessageId } = await api<{ internetMessageId: string }>('POST', 'dev/mailbox/inbound', undefined, {
    tenantId,
    from: prospect.email,
    to: demoTenant.mailbox,
    subject: `Re: ${sent!.subject}`,
    body: 'Hi Max, thanks for reaching out. This is relevant for us right now. Could we set up a call next week? Tuesday or Wednesday afternoon works.',
    inReplyTo: sent!.internetMessageId,
  });

  step('The reply is classified, with evidence and a decision trace.');
  const insight = await waitFor('the classification', async () =>
    api<{
      classification: { label: string; confidence: number };
      evidence: { excerpt: string; facts: string[] };
      nextAction: { label: string };
      deal?: { id: string; stage: string };
    }>('GET', `v1/insights/by-message?internetMessageId=${encodeURIComponent(internetMessageId)}`, operator).catch(() => undefined),
  );
  detail(`label ${insight.classification.label}, confidence ${insight.classification.confidence.toFixed(2)}`);
  detail(`excerpt: "${insight.evidence.excerpt}"`);
  for (const fact of insight.evidence.facts.slice(0, 3)) detail(`fact: ${fact}`);

  step('Deal gating: a positive reply at ≥ 0.85 creates a deal (0.65–0.84 would ask a Manager "Create deal?").');
  const deals = await waitFor('the deal', async () => {
    const all = await api<{ id: string; stage: string; contactEmail: string }[]>('GET', 'v1/deals', operator);
    return all.some((deal) => deal.contactEmail === prospect.email) ? all : undefined;
  }).catch(() => []);
  const deal = deals.find((candidate) => candidate.contactEmail === prospect.email);
  detail(deal ? `deal ${deal.id} at stage ${deal.stage}` : 'no deal was created (the confidence was below the threshold)');
  detail(`next action: ${insight.nextAction.label}`);

  step('Everything above is in the append-only, hash-chained audit log; an Auditor verifies it.');
  const verdict = await api<{ valid: boolean; count: number; head: string }>('GET', 'v1/audit/verify', auditor);
  detail(`${verdict.count} events, chain ${verdict.valid ? 'valid' : 'BROKEN'}, head ${verdict.head.slice(0, 16)}…`);

  console.log(`\nOpen the rep's taskpane for this reply:\n   ${baseUrl}/addin/taskpane.html?devMessage=${encodeURIComponent(internetMessageId)}`);
  console.log(`And the managers' console:\n   ${baseUrl}/console/\n`);
}

main().catch((error: unknown) => {
  console.error(`\nThe demo stopped: ${(error as Error).message}`);
  process.exit(1);
});

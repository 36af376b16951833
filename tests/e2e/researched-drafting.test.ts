import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureOpenAiFake, type AzureOpenAiFake, type ChatCompletionRequest } from '../contract/fakes/azure-openai';
import { sendAtAnyHour } from '../support/governed-loop';
import { call, eventually, newTenantId, signIn, sleep, startSuite, type Person, type RunningSuite } from '../support/suite';

const modelKeySecret = 'researched-drafting-openai-key';
const deployment = 'gpt-4o-drafts';

let suite: RunningSuite;
let model: AzureOpenAiFake;
beforeAll(async () => {
  model = await startAzureOpenAiFake({ deployments: [deployment], respond: respondAsModel });
  // The tenant's key, as Key Vault would hold it: locally the suite reads ASEP_SECRET_<NAME>.
  process.env[`ASEP_SECRET_${modelKeySecret.toUpperCase().replace(/-/g, '_')}`] = 'test-key-never-echoed';
  suite = await startSuite({ seed: false });
});
afterAll(async () => {
  await suite?.stop();
  await model?.close();
});

/** The model: a clean draft for Adatum; for Litware one stating a figure no fact contains. */
function respondAsModel(request: ChatCompletionRequest): unknown {
  if (request.jsonSchema?.name === 'deployment_check') return { ok: true };
  const prompt = JSON.parse(String(request.messages.at(-1)?.content)) as { prospect: { company: string }; facts: { id: string; fact: string }[] };
  const cite = prompt.facts[0]!;
  const claim =
    prompt.prospect.company === 'Litware'
      ? { text: 'Teams like Litware cut follow-up time by 37% with us.', factIds: [cite.id] }
      : { text: `I read that ${cite.fact.replace(/\.$/, '')}.`, factIds: [cite.id] };
  return {
    subject: `An idea for ${prompt.prospect.company}`,
    paragraphs: [{ sentences: [{ text: 'Hi there,', factIds: [] }] }, { sentences: [claim] }],
    callToAction: 'Open to a short call next week?',
  };
}

const litwareSite = {
  domain: 'litware.example',
  robots: 'User-agent: *\nDisallow: /internal/',
  pages: {
    '/': `<html><head><title>Litware</title><meta name="description" content="Litware builds packaging lines for food producers across Europe."></head>
      <body><nav><a href="/about">About</a></nav><main><h1>Packaging lines that run</h1>
      <p>Litware opened 3 new packaging plants in northern Italy in 2026.</p></main><footer><p>Copyright Litware S.p.A. All rights reserved.</p></footer></body></html>`,
    '/about': '<html><body><p>Founded in Turin, Litware now employs 1,200 people in six countries.</p></body></html>',
  },
};

interface Tenant {
  tenantId: string;
  admin: Person;
  revops: Person;
  manager: Person;
  auditor: Person;
  operator: Person;
}

async function tenantWithResearch(): Promise<Tenant> {
  const tenantId = newTenantId();
  const [admin, revops, manager, auditor, operator] = await Promise.all(
    ['Admin', 'RevOps', 'Manager', 'Auditor', 'Operator'].map((role) => signIn(suite.baseUrl, tenantId, [role], `${role} person`)),
  );
  await sendAtAnyHour(suite.baseUrl, admin!);
  expect((await call(suite.baseUrl, 'PUT', 'dev/websites', { json: litwareSite })).status).toBe(200);
  const account = await call(suite.baseUrl, 'POST', 'dev/crm/accounts', {
    json: {
      tenantId,
      domain: 'litware.example',
      properties: { name: 'Litware', industry: 'Packaging machinery', city: 'Turin' },
      notes: [{ contactEmail: 'marco@litware.example', body: 'Marco asked at the trade fair how managers approve first emails for 40 reps.' }],
    },
  });
  expect(account.status).toBe(200);
  const imported = await call(suite.baseUrl, 'POST', 'v1/prospects/import', {
    token: revops!.token,
    text: 'email,first_name,last_name,company,title\nmarco@litware.example,Marco,Rossi,Litware,COO\nlena@adatum.example,Lena,Fischer,Adatum,CTO',
    contentType: 'text/csv',
  });
  expect(imported.status).toBe(200);
  return { tenantId, admin: admin!, revops: revops!, manager: manager!, auditor: auditor!, operator: operator! };
}

async function startResearchedCampaign(tenant: Tenant, options: { draftOnly?: boolean; approval?: 'every' | 'none' } = {}) {
  const sequence = {
    steps: [
      {
        type: 'email',
        subject: 'Governed follow-up at {{company}}',
        body: 'Hi {{firstName}},\n\n{{research}}\n\nWe keep follow-ups moving while a manager approves every first email.\n\nOpen to a 20-minute call next week?',
        approval: options.approval ?? 'every',
      },
      { type: 'wait', days: 2 },
      { type: 'email', subject: 'Governed follow-up at {{company}}', body: 'Hi {{firstName}}, a short nudge on my note below.', approval: 'none' },
    ],
  };
  const campaign = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
    token: tenant.revops.token,
    json: {
      name: 'Researched outreach',
      mailbox: 'seller@tenant.example',
      sequence,
      drafting: { mode: 'researched', draftOnly: options.draftOnly ?? false },
    },
  });
  expect(campaign.status).toBe(201);
  const prospects = (await call<{ id: string }[]>(suite.baseUrl, 'GET', 'v1/prospects', { token: tenant.operator.token })).body;
  await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, {
    token: tenant.revops.token,
    json: { prospectIds: prospects.map((p) => p.id) },
  });
  expect((await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/start`, { token: tenant.manager.token, json: {} })).status).toBe(202);
  return campaign.body.id as string;
}

async function pendingFor(tenant: Tenant, to: string) {
  return eventually(
    async () => {
      const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: tenant.manager.token })).body;
      return pending.find((approval) => approval.to === to);
    },
    `an approval for ${to}`,
    30_000,
  );
}

const outbox = async (tenantId: string, to?: string) =>
  (await call<any[]>(suite.baseUrl, 'GET', `dev/mailbox/outbox?${new URLSearchParams({ tenantId, ...(to ? { to } : {}) })}`)).body;
const drafts = async (tenantId: string) => (await call<any[]>(suite.baseUrl, 'GET', `dev/mailbox/drafts?tenantId=${tenantId}`)).body;
const auditOf = async (tenant: Tenant) => (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: tenant.auditor.token })).body;

describe('research-backed drafting', () => {
  it('drafts from the company page and CRM notes: every cited sentence links to a stored, sourced fact; the approver’s edit is re-checked, audited as a diff and sent exactly once', async () => {
    const tenant = await tenantWithResearch();
    await startResearchedCampaign(tenant);

    const approval = await pendingFor(tenant, 'marco@litware.example');
    const { facts, sentences, author } = approval.evidence;
    expect(author).toEqual({ kind: 'offline', fallbackReason: 'no Azure OpenAI deployment is configured for this tenant' });
    const cited = sentences.filter((sentence: any) => sentence.factIds.length > 0);
    expect(cited.length).toBeGreaterThan(0);
    for (const sentence of cited) {
      for (const id of sentence.factIds) {
        const fact = facts.find((candidate: any) => candidate.id === id);
        expect(fact, `fact ${id} cited by “${sentence.text}”`).toMatchObject({
          source: expect.any(String),
          retrievedAt: expect.any(String),
          hash: expect.any(String),
        });
        expect(fact.url ?? fact.recordId).toBeTruthy();
      }
    }
    expect(approval.body).toContain('I came across this on your website: “Litware builds packaging lines for food producers across Europe.”');
    // Research read the page, the about page and the CRM; the disallowed path and the footer were not taken.
    expect(facts.map((fact: any) => fact.fact)).toEqual(
      expect.arrayContaining([
        'Litware opened 3 new packaging plants in northern Italy in 2026.',
        'Founded in Turin, Litware now employs 1,200 people in six countries.',
        'Litware: Packaging machinery, Turin.',
        'Marco asked at the trade fair how managers approve first emails for 40 reps.',
      ]),
    );
    expect(facts.some((fact: any) => /Copyright/.test(fact.fact))).toBe(false);
    expect(facts.find((fact: any) => fact.source === 'website')).toMatchObject({ url: 'https://litware.example/' });
    const audit = await auditOf(tenant);
    const gathered = audit.find((event) => event.type === 'research.gathered' && event.payload.prospectId === approval.prospectId);
    expect(gathered.payload.facts.map((fact: any) => fact.hash).sort()).toEqual(
      facts
        .filter((fact: any) => fact.hash)
        .map((fact: any) => fact.hash)
        .sort(),
    );

    const edited = `${approval.body.replace(/\n\n--\n[\s\S]*$/, '')}\n\nTeams your size save 35% of their follow-up time.`;
    const decided = await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, {
      token: tenant.manager.token,
      json: { edited: { subject: 'Follow-ups at Litware', body: edited } },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.edit.reasons).toEqual([
      'evidence.claimsNeedFacts: No stored fact supports “Teams your size save 35% of their follow-up time.”.',
      'evidence.numbersNeedFacts: The draft states a number that no fact contains: “35”.',
    ]);

    const [sent] = await eventually(async () => {
      const mails = await outbox(tenant.tenantId, 'marco@litware.example');
      return mails.length > 0 ? mails : undefined;
    }, 'the edited email');
    expect(sent.subject).toBe('Follow-ups at Litware');
    expect(sent.body.startsWith(edited)).toBe(true);
    await sleep(1_500);
    expect(await outbox(tenant.tenantId, 'marco@litware.example')).toHaveLength(1);
    const editAudit = (await auditOf(tenant)).find((event) => event.type === 'approval.edited');
    expect(editAudit.payload.diff).toContain('-Subject: Governed follow-up at Litware');
    expect(editAudit.payload.diff).toContain('+Teams your size save 35% of their follow-up time.');
  }, 120_000);

  it('a new draft on request, and the tenant’s own model: a draft with a figure no fact holds is held with the reason, a clean one is sent', async () => {
    const tenant = await tenantWithResearch();
    const refused = await call(suite.baseUrl, 'PUT', 'v1/integrations/openai', {
      token: tenant.admin.token,
      json: {
        endpoint: model.url,
        deployment: 'no-such-deployment',
        auth: { kind: 'key', secretName: modelKeySecret },
        pricing: { inputPerMillion: 2.5, outputPerMillion: 10 },
        dailyBudgetUsd: 5,
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'deployment' })]);
    const configured = await call(suite.baseUrl, 'PUT', 'v1/integrations/openai', {
      token: tenant.admin.token,
      json: {
        endpoint: model.url,
        deployment,
        auth: { kind: 'key', secretName: modelKeySecret },
        pricing: { inputPerMillion: 2.5, outputPerMillion: 10 },
        dailyBudgetUsd: 5,
      },
    });
    expect(configured.status).toBe(200);
    expect(configured.body).toMatchObject({ configured: true, deployment, auth: { kind: 'key' } });
    expect(JSON.stringify(configured.body)).not.toContain(modelKeySecret);
    expect(JSON.stringify((await call(suite.baseUrl, 'GET', 'v1/integrations/openai', { token: tenant.admin.token })).body)).not.toContain(
      modelKeySecret,
    );
    const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: tenant.admin.token })).body;
    await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: tenant.admin.token,
      json: { rules: { ...policy.rules, approvals: { ...policy.rules.approvals, firstTouch: false } }, version: policy.version },
    });

    await startResearchedCampaign(tenant, { approval: 'none' });

    const held = await pendingFor(tenant, 'marco@litware.example');
    expect(held.evidence.author).toEqual({ kind: 'model', deployment });
    expect(held.decision.reasons).toContainEqual({
      rule: 'evidence.numbersNeedFacts',
      outcome: 'approval',
      message: 'The draft states a number that no fact contains: “37”.',
    });
    const [clean] = await eventually(async () => {
      const mails = await outbox(tenant.tenantId, 'lena@adatum.example');
      return mails.length > 0 ? mails : undefined;
    }, 'the clean draft to be sent without approval');
    expect(clean.subject).toBe('An idea for Adatum');
    expect(await outbox(tenant.tenantId, 'marco@litware.example')).toEqual([]);

    const regenerated = await call(suite.baseUrl, 'POST', `v1/approvals/${held.id}/regenerate`, { token: tenant.manager.token, json: {} });
    expect(regenerated).toMatchObject({ status: 202, body: { status: 'cancelled' } });
    const second = await eventually(async () => {
      const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: tenant.manager.token })).body;
      return pending.find((approval) => approval.to === 'marco@litware.example' && approval.id !== held.id);
    }, 'a new draft for approval');
    expect(second.evidence.author).toEqual({ kind: 'model', deployment });
    const draftCalls = model.requests.filter((request) => JSON.stringify(request.body).includes('email_draft'));
    expect(JSON.stringify(draftCalls.at(-1)!.body)).toContain('the approver asked for a different one');
    expect(model.violations).toEqual([]);
    const completions = (await auditOf(tenant)).filter((event) => event.type === 'model.completed' && event.payload.purpose === 'draft');
    expect(completions.length).toBeGreaterThanOrEqual(3);
    expect(completions[0].payload).toMatchObject({
      promptHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      responseHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  }, 120_000);

  it('draft-only: the approved email lands in the rep’s Drafts folder with its evidence, and the sequence moves on only once the rep has sent it', async () => {
    const tenant = await tenantWithResearch();
    await startResearchedCampaign(tenant, { draftOnly: true });
    const approval = await pendingFor(tenant, 'marco@litware.example');
    await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: tenant.manager.token, json: {} });

    const [draft] = await eventually(async () => {
      const saved = (await drafts(tenant.tenantId)).filter((mail) => mail.to === 'marco@litware.example');
      return saved.length > 0 ? saved : undefined;
    }, 'the draft in the Drafts folder');
    expect(draft.body.startsWith(approval.body.replace(/\n\n--\n[\s\S]*$/, ''))).toBe(true);
    expect(await outbox(tenant.tenantId, 'marco@litware.example')).toEqual([]);
    // The draft is made first and recorded with its evidence right after, so a look at once may come between the two.
    const evidence = await eventually(async () => {
      const found = await call(suite.baseUrl, 'GET', `v1/insights/draft-evidence?internetMessageId=${encodeURIComponent(draft.internetMessageId)}`, {
        token: tenant.operator.token,
      });
      return found.status === 404 ? undefined : found;
    }, 'the draft’s evidence');
    expect(evidence.body).toMatchObject({ status: 'drafted', to: 'marco@litware.example', author: { kind: 'offline' } });
    expect(evidence.body.facts.map((fact: any) => fact.id).sort()).toEqual(
      [...new Set(evidence.body.sentences.flatMap((s: any) => s.factIds))].sort(),
    );
    // The taskpane's one call answers the draft with the same evidence, the prospect and what the rep does next.
    const paneAnswer = await call(suite.baseUrl, 'GET', `v1/insights/by-message?internetMessageId=${encodeURIComponent(draft.internetMessageId)}`, {
      token: tenant.operator.token,
    });
    expect(paneAnswer.body).toMatchObject({
      kind: 'draft',
      status: 'drafted',
      sentences: evidence.body.sentences,
      facts: evidence.body.facts,
      prospect: { email: 'marco@litware.example' },
      nextAction: { kind: 'send_draft' },
    });

    // Days pass; the rep has not sent it: nothing further is drafted.
    for (let day = 0; day < 4; day += 1) await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: 24 } });
    await sleep(1_000);
    expect((await drafts(tenant.tenantId)).filter((mail) => mail.to === 'marco@litware.example')).toHaveLength(1);

    expect(
      (
        await call(suite.baseUrl, 'POST', 'dev/mailbox/drafts/send', {
          json: { tenantId: tenant.tenantId, internetMessageId: draft.internetMessageId },
        })
      ).status,
    ).toBe(200);
    const followUp = await eventually(
      async () => {
        await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: 24 } });
        const saved = (await drafts(tenant.tenantId)).filter((mail) => mail.to === 'marco@litware.example');
        return saved.length > 0 ? saved[0] : undefined;
      },
      'the follow-up drafted after the rep sent the first',
      30_000,
    );
    expect(followUp.subject).toBe('Re: Governed follow-up at Litware');
    const sentEvent = (await auditOf(tenant)).find((event) => event.type === 'email.sent' && event.payload.to === 'marco@litware.example');
    expect(sentEvent.actor).toMatchObject({ type: 'user', id: 'seller@tenant.example' });
  }, 120_000);
});

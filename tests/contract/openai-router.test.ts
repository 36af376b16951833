import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyReply } from '@asep/shared/classification/classify';
import type { InboundMessage } from '@asep/shared/classification/schema';
import { AuditLog } from '../../functions/src/audit/audit-log';
import { AdjustableClock } from '../../functions/src/clock/clock';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '../../local/src/cosmos-emulator';
import { createEmailDrafter, type DraftRequest } from '../../functions/src/drafting/draft-email';
import { ModelRouter } from '../../functions/src/openai/model-router';
import type { ModelDeploymentSettings } from '../../functions/src/openai/model-settings';
import { redactSecrets } from '../../functions/src/openai/redact-secrets';
import { createRoutedClassifier } from '../../functions/src/openai/routed-classifier';
import { ModelUsageLedger } from '../../functions/src/openai/usage-ledger';
import { createCosmosClient, ensureDatabase } from '../../functions/src/store/cosmos';
import { createStore, type Store } from '../../functions/src/store/store';
import { startAzureOpenAiFake, type AzureOpenAiFake } from './fakes/azure-openai';

const tenantId = '6f1d2e3c-0000-4000-8000-0000000000f1';
const deployment = 'gpt-4o-asep';
/** Not confident either way: the shipped classifier calls it positive at about 0.6. */
const grayReply: InboundMessage = {
  subject: 'Re: An idea for Fabrikam',
  body: 'Not sure this is for us, but send me something to read.',
  from: 'dana@fabrikam.example',
};
const clearReply: InboundMessage = { subject: 'Re: An idea for Fabrikam', body: 'Maybe. What does it cost?', from: 'dana@fabrikam.example' };
const unsubscribeReply: InboundMessage = {
  subject: 'Re: An idea for Fabrikam',
  body: 'Please unsubscribe me from this list.',
  from: 'dana@fabrikam.example',
};

let emulator: RunningEmulator;
let database = 0;
beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(() => emulator.close());

let fake: AzureOpenAiFake;
let store: Store;
let audit: AuditLog;
const clock = new AdjustableClock();
let settings: ModelDeploymentSettings;
let secretReads = 0;

function routerWith(options: { credential?: TokenCredential } = {}) {
  return new ModelRouter({
    deploymentFor: async (tenant) => (tenant === tenantId ? settings : undefined),
    secrets: {
      get: async (name) => {
        if (name !== 'tenant-openai-key') return undefined;
        secretReads += 1;
        return 'azure-openai-test-key';
      },
    },
    credential: options.credential,
    store,
    audit,
    clock,
  });
}

beforeEach(async () => {
  database += 1;
  secretReads = 0;
  store = createStore(
    await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: `openai-${database}` }), `openai-${database}`),
  );
  audit = new AuditLog(store.auditContainer, clock);
  fake = await startAzureOpenAiFake({
    deployments: [deployment],
    respond: () => ({
      label: 'neutral',
      confidence: 0.8,
      rationale: 'They ask for reading material, "not sure this is for us", without agreeing to talk.',
    }),
  });
  settings = {
    endpoint: fake.url,
    deployment,
    auth: { kind: 'key', secretName: 'tenant-openai-key' },
    pricing: { inputPerMillion: 2.5, outputPerMillion: 10 },
    dailyBudgetUsd: 1,
    timeoutMs: 2_000,
    maxRetries: 2,
  };
});
afterEach(() => fake.close());

describe('gray-zone reply classification through the model router (openai AzureOpenAI against the fake)', () => {
  it('asks the model about a gray-zone reply: its label replaces the offline one and its rationale joins the trace', async () => {
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) });
    const offline = classifyReply(grayReply);

    const routed = await classify(grayReply);

    expect(offline).toMatchObject({ label: 'positive' });
    expect(offline.confidence).toBeGreaterThan(0.45);
    expect(offline.confidence).toBeLessThan(0.85);
    expect(routed).toMatchObject({ label: 'neutral', confidence: 0.8 });
    expect(routed.evidence.trace.at(-1)).toEqual({
      step: 'model-review',
      detail: expect.stringMatching(/^gray zone \(offline positive 0\.\d{3}\): gpt-4o-asep says neutral \(0\.80\) – They ask for reading material/),
    });
    expect(routed.evidence.facts).toContain('model rationale: They ask for reading material, "not sure this is for us", without agreeing to talk.');
    const [request] = fake.requests;
    expect(request?.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'reply_review', strict: true } } });
    expect(fake.violations).toEqual([]);
  });

  it('leaves confident and rule-decided replies to the offline classifier without calling the model', async () => {
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) });

    const clear = await classify(clearReply);
    const unsubscribe = await classify(unsubscribeReply);

    expect(clear).toEqual(classifyReply(clearReply));
    expect(unsubscribe).toEqual(classifyReply(unsubscribeReply));
    expect(fake.requests).toEqual([]);
  });

  it('honours the configured bounds of the gray zone', async () => {
    // A gray zone that starts just above this reply's offline confidence leaves it out.
    const lower = classifyReply(grayReply).confidence + 0.01;
    const narrow = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId), policy: { lower, upper: 0.85 } });

    expect(await narrow(grayReply)).toEqual(classifyReply(grayReply));
    expect(fake.requests).toEqual([]);
  });

  it('retries a 429 after its Retry-After, with jitter, and then uses the answer', async () => {
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) });
    fake.failNext('ChatCompletions_Create', { status: 429, retryAfterSeconds: 1 });
    const startedAt = Date.now();

    const routed = await classify(grayReply);

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(990);
    expect(fake.requests).toHaveLength(2);
    expect(routed.label).toBe('neutral');
  });

  it('keeps the offline result, saying why, when the model does not answer in time', async () => {
    settings = { ...settings, timeoutMs: 300 };
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) });
    fake.failNext('ChatCompletions_Create', { hangMs: 2_000 });

    const routed = await classify(grayReply);

    const offline = classifyReply(grayReply);
    expect(routed).toMatchObject({ label: offline.label, confidence: offline.confidence });
    expect(routed.evidence.trace.at(-1)).toEqual({
      step: 'model-review',
      detail: expect.stringContaining('(timeout: no answer within 300 ms); the offline result stands'),
    });
  });

  it('keeps the offline result when the deployment does not exist', async () => {
    settings = { ...settings, deployment: 'gpt-4o-retired' };
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) });

    const routed = await classify(grayReply);

    expect(routed.label).toBe(classifyReply(grayReply).label);
    expect(routed.evidence.trace.at(-1)?.detail).toContain('(failed: 404');
  });

  it('keeps the offline result for a tenant without a deployment', async () => {
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant('tenant-without-model') });

    const routed = await classify(grayReply);

    expect(routed.label).toBe(classifyReply(grayReply).label);
    expect(routed.evidence.trace.at(-1)?.detail).toContain('not-configured');
    expect(fake.requests).toEqual([]);
  });

  it('reads a rotated tenant key again after a 401 and retries once', async () => {
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) });
    await classify(grayReply);
    fake.failNext('ChatCompletions_Create', {
      status: 401,
      body: { error: { code: '401', message: 'Access denied due to invalid subscription key.' } },
    });

    const routed = await classify(grayReply);

    expect(routed.label).toBe('neutral');
    expect(secretReads).toBe(2);
    expect(fake.requests).toHaveLength(3);
  });

  it('authenticates with the app’s Entra identity as a bearer token', async () => {
    settings = { ...settings, auth: { kind: 'entra' } };
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope): Promise<AccessToken> => {
        scopes.push(...[scope].flat());
        return { token: 'entra-test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };

    await createRoutedClassifier({ offline: classifyReply, router: routerWith({ credential }).forTenant(tenantId) })(grayReply);

    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default']);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
    expect(fake.requests[0]?.headers['api-key']).toBeUndefined();
    expect(fake.violations).toEqual([]);
  });
});

describe('the daily cost ceiling', () => {
  it('counts tokens and cost per tenant per day, and audits each call by hash with model and token counts', async () => {
    await createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) })(grayReply);

    const [usage] = await store.database
      .container('tenants')
      .items.query({ query: "SELECT * FROM c WHERE c.docType = 'modelUsage'" })
      .fetchAll()
      .then((result) => result.resources);
    const [event] = (await audit.all(tenantId)).filter((entry) => entry.type === 'model.completed');
    expect(usage).toMatchObject({ tenantId, day: clock.now().toISOString().slice(0, 10), calls: 1 });
    expect(usage.promptTokens).toBeGreaterThan(0);
    expect(usage.costUsd).toBeCloseTo((usage.promptTokens * 2.5 + usage.completionTokens * 10) / 1_000_000, 12);
    expect(event?.payload).toMatchObject({
      purpose: 'classify',
      deployment,
      model: deployment,
      promptHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      responseHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
    });
    expect(JSON.stringify(event)).not.toContain('send me something to read');
  });

  it('falls back to the offline result once the day’s spend reaches the ceiling, and audits that once', async () => {
    settings = { ...settings, dailyBudgetUsd: 0.01 };
    await new ModelUsageLedger(store.database, clock).record(tenantId, { promptTokens: 3_000, completionTokens: 200, costUsd: 0.0095 });
    const classify = createRoutedClassifier({ offline: classifyReply, router: routerWith().forTenant(tenantId) });

    const first = await classify(grayReply);
    const second = await classify(grayReply);

    expect(fake.requests).toEqual([]);
    expect(first.label).toBe(classifyReply(grayReply).label);
    expect(second.evidence.trace.at(-1)?.detail).toContain('over-budget');
    expect((await audit.all(tenantId)).filter((entry) => entry.type === 'model.budget_exceeded')).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ spentUsd: 0.0095, budgetUsd: 0.01, purpose: 'classify' }) }),
    ]);
  });
});

describe('what reaches the model', () => {
  it('strips anything that looks like a token or key from the reply before it is sent', async () => {
    const secrets = [
      'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      'sk-proj-4f9Qw2LmZx8RtY6uV1bN3cK7pD0aS5eG',
      'hunter2-correct-horse',
      'sv=2022-11-02&sig=Qm9ndXNTaWduYXR1cmVWYWx1ZTEyMzQ1Njc4OTA%3D',
      'AKIAIOSFODNN7EXAMPLE',
      'pat-na1-11111111-2222-3333-4444-555555555555',
      '0123456789abcdef0123456789abcdef',
    ];
    const leaky: InboundMessage = {
      subject: 'Re: An idea for Fabrikam',
      body: [
        'Not sure this is for us, but send me something to read.',
        `Our admin pasted this by mistake: Authorization: Bearer ${secrets[0]}`,
        `api_key: ${secrets[1]}`,
        `password=${secrets[2]}`,
        `https://fabrikam.blob.core.windows.net/docs/deck.pdf?${secrets[3]}`,
        `AWS ${secrets[4]} and HubSpot ${secrets[5]} and key ${secrets[6]}`,
      ].join('\n'),
      from: 'dana@fabrikam.example',
    };

    await createRoutedClassifier({ offline: () => classifyReply(grayReply), router: routerWith().forTenant(tenantId) })(leaky);

    const sent = JSON.stringify(fake.requests[0]?.body);
    for (const secret of [...secrets, 'Qm9ndXNTaWduYXR1cmVWYWx1ZTEyMzQ1Njc4OTA']) expect(sent).not.toContain(secret);
    expect(sent).toContain('[redacted]');
    expect(sent).toContain('send me something to read');
    expect(sent).toContain('fabrikam.blob.core.windows.net/docs/deck.pdf');
  });
});

describe('credential redaction', () => {
  it('leaves ordinary sales prose alone', () => {
    const prose = [
      'Thanks Dana – Tuesday at 10:30 works. Call me on +1 555 0100.',
      'Our PO reference is PO-2024-118 and the pricing page is https://fabrikam.example/pricing?plan=team.',
      'Our password policy is strict, so IT will want a security review first.',
    ].join('\n');

    expect(redactSecrets(prose)).toEqual({ text: prose, redactions: 0 });
  });
});

describe('drafting from research with citations', () => {
  const retrievedAt = '2026-11-20T09:00:00.000Z';
  const request: DraftRequest = {
    prospect: { firstName: 'Dana', lastName: 'Whitfield', company: 'Fabrikam', title: 'VP Sales' },
    campaign: { name: 'Q4 pilot', offer: 'Governed follow-up automation for B2B sales teams', constraints: 'No discounts.' },
    template: {
      subject: 'Pipeline hygiene at Fabrikam',
      body: 'Hi Dana,\n\nWe automate follow-ups; managers approve every first touch.\n\nBest,\nMax',
    },
    facts: [
      {
        id: 'f-hiring',
        fact: 'Fabrikam is hiring 12 account executives in EMEA.',
        source: 'website',
        url: 'https://fabrikam.example/careers',
        retrievedAt,
        hash: 'h1',
      },
      {
        id: 'f-note',
        fact: 'Asked for pricing for 40 seats; call dana.whitfield@fabrikam.example.',
        source: 'crm',
        recordId: 'note-1',
        retrievedAt,
        hash: 'h2',
      },
    ],
  };
  const modelDraft = {
    subject: 'Ramping 12 new AEs at Fabrikam',
    paragraphs: [
      { sentences: [{ text: 'Hi Dana,', factIds: [] }] },
      {
        sentences: [
          { text: 'With 12 account executives joining in EMEA, follow-up discipline gets hard to keep.', factIds: ['f-hiring'] },
          { text: 'We automate follow-ups while managers approve every first touch.', factIds: [] },
        ],
      },
    ],
    callToAction: 'Worth a short call next week?',
  };

  it('sends a strict structured-output request built from the facts only, and returns each sentence with the facts it cites', async () => {
    fake.respondWith(() => modelDraft);

    const draft = await createEmailDrafter(routerWith()).draft(tenantId, request);

    expect(draft.author).toEqual({ kind: 'model', deployment });
    expect(draft.subject).toBe('Ramping 12 new AEs at Fabrikam');
    expect(draft.body).toBe(
      'Hi Dana,\n\nWith 12 account executives joining in EMEA, follow-up discipline gets hard to keep. We automate follow-ups while managers approve every first touch.\n\nWorth a short call next week?',
    );
    expect(draft.sentences.find((sentence) => sentence.factIds.length > 0)).toEqual({
      text: 'With 12 account executives joining in EMEA, follow-up discipline gets hard to keep.',
      factIds: ['f-hiring'],
    });
    const sent = fake.requests[0]!;
    expect(sent.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'email_draft', strict: true } } });
    const prompt = JSON.stringify((sent.body as { messages: unknown }).messages);
    expect(prompt).toContain('f-hiring');
    // Redacted by policy: no last name, no address, and nothing but the facts' text and source (no URLs or hashes).
    expect(prompt).not.toContain('Whitfield');
    expect(prompt).not.toContain('dana.whitfield@');
    expect(prompt).not.toContain('fabrikam.example/careers');
    expect(fake.violations).toEqual([]);
    const [completed] = (await audit.all(tenantId)).filter((entry) => entry.type === 'model.completed');
    expect(completed?.payload).toMatchObject({
      purpose: 'draft',
      promptHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      completionTokens: expect.any(Number),
    });
  });

  it('drafts by the rules instead when the model cites a fact it was not given, quoting a real fact and saying why', async () => {
    fake.respondWith(() => ({ ...modelDraft, paragraphs: [{ sentences: [{ text: 'Fabrikam won an award.', factIds: ['f-invented'] }] }] }));

    const draft = await createEmailDrafter(routerWith()).draft(tenantId, request);

    expect(draft.author).toEqual({ kind: 'offline', fallbackReason: expect.stringContaining('not given') });
    expect(draft.subject).toBe('Pipeline hygiene at Fabrikam');
    expect(draft.body).toContain('I came across this on your website: “Fabrikam is hiring 12 account executives in EMEA.”');
    expect(draft.sentences).toContainEqual({
      text: 'I came across this on your website: “Fabrikam is hiring 12 account executives in EMEA.”',
      factIds: ['f-hiring'],
    });
  });

  it('drafts by the rules when the model’s answer breaks our own limits (a 400-character subject)', async () => {
    fake.respondWith(() => ({ ...modelDraft, subject: 'S'.repeat(400) }));

    const draft = await createEmailDrafter(routerWith()).draft(tenantId, request);

    expect(draft.author).toMatchObject({ kind: 'offline', fallbackReason: expect.stringContaining('invalid-output') });
  });

  it('drafts by the rules, saying why, once the day’s model spend for drafting and classifying reaches the ceiling', async () => {
    fake.respondWith(() => modelDraft);
    settings = { ...settings, dailyBudgetUsd: 0.01 };
    await new ModelUsageLedger(store.database, clock).record(tenantId, { promptTokens: 3_000, completionTokens: 200, costUsd: 0.0095 });

    const draft = await createEmailDrafter(routerWith()).draft(tenantId, request);

    expect(fake.requests).toEqual([]);
    expect(draft.author).toMatchObject({ kind: 'offline', fallbackReason: expect.stringContaining('ceiling') });
    expect((await audit.all(tenantId)).filter((entry) => entry.type === 'model.budget_exceeded')).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ budgetUsd: 0.01, purpose: 'draft' }) }),
    ]);
  });

  it('drafts by the rules without calling anything when the tenant has no deployment', async () => {
    const draft = await createEmailDrafter(routerWith()).draft('another-tenant', { ...request, attempt: 1 });

    expect(draft.author).toEqual({ kind: 'offline', fallbackReason: 'no Azure OpenAI deployment is configured for this tenant' });
    // The second attempt (an approver's "regenerate") quotes the other fact.
    expect(draft.sentences.filter((sentence) => sentence.factIds.length > 0)).toEqual([
      { text: expect.stringContaining('From our earlier conversations:'), factIds: ['f-note'] },
    ]);
    expect(fake.requests).toEqual([]);
  });
});

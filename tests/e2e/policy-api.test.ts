import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, newTenantId, signIn, startSuite, type Person, type RunningSuite } from '../support/suite';

let suite: RunningSuite;
let admin: Person;
let auditor: Person;
let revops: Person;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
  const tenantId = newTenantId();
  [admin, auditor, revops] = await Promise.all([
    signIn(suite.baseUrl, tenantId, ['Admin'], 'Ada Admin'),
    signIn(suite.baseUrl, tenantId, ['Auditor'], 'Aude Auditor'),
    signIn(suite.baseUrl, tenantId, ['RevOps'], 'Rev Ops'),
  ]);
});
afterAll(async () => suite?.stop());

const dryRun = (json: unknown, token = revops.token) => call(suite.baseUrl, 'POST', 'v1/policies/test', { token, json });

describe('the policy API', () => {
  it('rejects a cap above Exchange Online’s limits with a clear message, and keeps the version in force', async () => {
    const before = await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    const response = await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: admin.token,
      json: { rules: { ...before.body.rules, caps: { ...before.body.rules.caps, sendsPerMailboxPerMinute: 45, sendsPerMailboxPerDay: 20_000 } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'rules.caps.sendsPerMailboxPerMinute', message: expect.stringMatching(/Exchange Online sends at most 30 messages per minute/) },
      { field: 'rules.caps.sendsPerMailboxPerDay', message: expect.stringMatching(/Exchange Online accepts at most 10,000 recipients a day/) },
    ]);
    expect((await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body).toEqual(before.body);
  });

  it('lists every version with who put it in force and when, and shows any one of them', async () => {
    const first = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body;
    const second = await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: admin.token,
      json: {
        rules: { ...first.rules, content: { ...first.rules.content, prohibitedClaims: ['guaranteed', 'no brainer'] } },
        version: first.version,
      },
    });
    expect(second.status).toBe(200);
    const third = await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: admin.token,
      json: { rules: { ...second.body.rules, approvals: { ...second.body.rules.approvals, expiryHours: 48 } }, version: second.body.version },
    });
    expect(third.body.version).toBe(first.version + 2);

    const versions = await call<any[]>(suite.baseUrl, 'GET', 'v1/policies/versions', { token: auditor.token });
    expect(versions.status).toBe(200);
    expect(versions.body.map((version) => version.version)).toEqual([third.body.version, second.body.version, first.version]);
    expect(versions.body[0]).toEqual({
      version: third.body.version,
      updatedBy: admin.userId,
      updatedByName: 'Ada Admin',
      updatedAt: third.body.updatedAt,
    });
    expect(versions.body[2]).toMatchObject({ version: 1, updatedBy: 'system' });

    const middle = await call(suite.baseUrl, 'GET', `v1/policies/versions/${second.body.version}`, { token: auditor.token });
    expect(middle.body.rules.content.prohibitedClaims).toEqual(['guaranteed', 'no brainer']);
    expect(middle.body.rules.approvals.expiryHours).toBe(72);

    const audit = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: auditor.token })).body;
    const change = audit.find((event) => event.type === 'policy.updated' && event.payload.toVersion === third.body.version);
    expect(change.actor).toMatchObject({ id: admin.userId, name: 'Ada Admin' });
    expect(change.payload.diff).toEqual([{ path: '/approvals/expiryHours', from: 72, to: 48 }]);
  });

  it('answers an unknown or malformed version, and keeps versions from roles that may not read policies', async () => {
    expect((await call(suite.baseUrl, 'GET', 'v1/policies/versions/999', { token: admin.token })).status).toBe(404);
    const malformed = await call(suite.baseUrl, 'GET', 'v1/policies/versions/latest', { token: admin.token });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/not a policy version/);
    expect((await call(suite.baseUrl, 'GET', 'v1/policies/versions', { token: revops.token })).status).toBe(403);
  });

  it('dry-runs a risky email: a content_risk approval, and nothing created', async () => {
    const inForce = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body;
    const response = await dryRun({
      // About the content alone, at whatever hour the test runs: the window is dry-run on its own below.
      rules: { ...inForce.rules, sendingWindow: { ...inForce.rules.sendingWindow, enabled: false } },
      action: {
        type: 'send_email',
        mailbox: 'seller@vendor.example',
        to: 'dana@acme.example',
        subject: 'Guaranteed results',
        body: 'We doubled pipeline for 120 teams. My SSN is 123-45-6789.',
        isFirstTouch: false,
        stepApproval: 'none',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ allow: true, approvalRequired: true, requireCanary: false, dealCreateAllowed: false });
    expect(response.body.reasons.map((reason: { rule: string }) => reason.rule)).toEqual([
      'content.prohibitedClaims',
      'content.pii',
      'content.claimsNeedEvidence',
    ]);
    const manager = await signIn(suite.baseUrl, admin.tenantId, ['Manager']);
    expect((await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals', { token: manager.token })).body).toHaveLength(0);
  });

  it('dry-runs a draft policy without putting it in force: a send outside the window is deferred to its opening', async () => {
    const inForce = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body;
    const response = await dryRun({
      action: {
        type: 'send_email',
        mailbox: 'seller@vendor.example',
        to: 'kim@tokyo.example',
        subject: 'Hello',
        body: 'A short note.',
        isFirstTouch: false,
        stepApproval: 'none',
        recipient: { timeZone: 'Asia/Tokyo' },
      },
      rules: {
        ...inForce.rules,
        sendingWindow: { enabled: true, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:01' },
      },
    });
    expect(response.body).toMatchObject({ allow: false, approvalRequired: false, throttle: { rule: 'sendingWindow' } });
    const retryAt = Date.parse(response.body.throttle.retryAt);
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(retryAt)).toBe('00:00');
    expect((await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body.version).toBe(inForce.version);
  });

  it('dry-runs a deal decision from the same policy', async () => {
    const base = {
      type: 'create_deal',
      label: 'positive',
      contactEmail: 'dana@acme.example',
      companyDomain: 'acme.example',
      excerpt: 'Yes, let us talk.',
    };
    expect((await dryRun({ action: { ...base, confidence: 0.9 } })).body).toMatchObject({
      dealCreateAllowed: true,
      dealCreateRequiresApproval: false,
      deal: { outcome: 'create', stage: 'POSITIVE_REPLY' },
    });
    expect((await dryRun({ action: { ...base, confidence: 0.7 } })).body).toMatchObject({
      dealCreateAllowed: false,
      dealCreateRequiresApproval: true,
      approvalRequired: true,
    });
    expect((await dryRun({ action: { ...base, label: 'ooo', confidence: 0.99 } })).body).toMatchObject({ allow: false, dealCreateAllowed: false });
  });

  it('names every wrong field of a dry-run action', async () => {
    const response = await dryRun({
      action: { type: 'send_email', mailbox: 'nope', to: 'dana@acme.example', subject: 'x', body: 'y', isFirstTouch: 'yes' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['action.mailbox', 'action.isFirstTouch']),
    );
  });
});

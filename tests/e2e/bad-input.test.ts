import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, newTenantId, signIn, startSuite, type Person, type RunningSuite } from '../support/suite';

let suite: RunningSuite;
let revops: Person;
let admin: Person;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
  const tenantId = newTenantId();
  revops = await signIn(suite.baseUrl, tenantId, ['RevOps']);
  admin = await signIn(suite.baseUrl, tenantId, ['Admin']);
});
afterAll(async () => suite?.stop());

async function raw(method: string, path: string, token: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${suite.baseUrl}/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: (await response.json()) as any };
}

describe('bad input', () => {
  it('answers malformed JSON with a problem naming the parse error', async () => {
    const response = await raw('POST', 'v1/campaigns', revops.token, '{"name": "x",');
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.detail).toMatch(/not valid JSON/);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names each wrong or unknown field of a campaign and creates nothing', async () => {
    const response = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: '',
        mailbox: 'not-an-email',
        colour: 'blue',
        sequence: {
          steps: [
            { type: 'wait', days: -1 },
            { type: 'branch', if: 'replied', then: 9, else: 0 },
          ],
        },
      },
    });
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'mailbox', 'sequence.steps.0.days', 'sequence.steps.1.then']));
    expect(JSON.stringify(response.body.errors)).toMatch(/colour/);
    expect((await call<any[]>(suite.baseUrl, 'GET', 'v1/campaigns', { token: revops.token })).body).toHaveLength(0);
  });

  it('imports the good rows of a CSV and reports each bad row by line', async () => {
    const csv = [
      'Email,First Name,Company',
      'good@one.example,Good,One',
      'not-an-email,Bad,Two',
      ',Empty,Three',
      ' GOOD@one.example ,Again,One',
      'fine@four.example,Fine,Four',
    ].join('\n');
    const response = await call(suite.baseUrl, 'POST', 'v1/prospects/import', { token: revops.token, text: csv, contentType: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ imported: 2, updated: 0, skipped: 2 });
    expect(response.body.errors.map((error: { row: number }) => error.row)).toEqual([3, 4]);
    const again = await call(suite.baseUrl, 'POST', 'v1/prospects/import', {
      token: revops.token,
      text: 'email\ngood@one.example',
      contentType: 'text/csv',
    });
    expect(again.body).toMatchObject({ imported: 0, updated: 1 });
  });

  it('refuses a CSV without an email column, a wrong content type and an oversized body', async () => {
    const noEmail = await call(suite.baseUrl, 'POST', 'v1/prospects/import', { token: revops.token, text: 'name\nBob', contentType: 'text/csv' });
    expect(noEmail.body.errors[0].message).toMatch(/email/);
    const wrongType = await raw('POST', 'v1/prospects/import', revops.token, 'email\na@b.example', 'application/json');
    expect(wrongType.status).toBe(415);
    const huge = await raw('POST', 'v1/campaigns', revops.token, JSON.stringify({ name: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
  });

  it('answers unknown ids and routes with 404 problems', async () => {
    expect((await call(suite.baseUrl, 'POST', 'v1/campaigns/cmp-missing/start', { token: admin.token, json: {} })).status).toBe(404);
    expect((await call(suite.baseUrl, 'POST', 'v1/approvals/apr-missing/approve', { token: admin.token, json: {} })).status).toBe(404);
    expect((await call(suite.baseUrl, 'GET', 'v1/no-such-thing', { token: admin.token })).status).toBe(404);
    const enrol = await call(suite.baseUrl, 'POST', 'v1/campaigns/cmp-missing/prospects', { token: admin.token, json: { prospectIds: ['x'] } });
    expect(enrol.status).toBe(404);
  });

  it('rejects an invalid policy listing every error, and keeps the previous version in force', async () => {
    const before = await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    const response = await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: admin.token,
      json: {
        rules: { caps: { newRecipientsPerMailboxPerDay: -5 }, deals: { createThreshold: 0.5, askThreshold: 0.7 }, approvals: { firstTouch: 'yes' } },
      },
    });
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['rules.caps.newRecipientsPerMailboxPerDay', 'rules.approvals.firstTouch']));
    const after = await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    expect(after.body).toEqual(before.body);
  });

  it('puts a valid policy in force as a new, audited version', async () => {
    const before = await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    const rules = { ...before.body.rules, caps: { newRecipientsPerMailboxPerDay: 25 } };
    const saved = await call(suite.baseUrl, 'PUT', 'v1/policies', { token: admin.token, json: { rules, version: before.body.version } });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(before.body.version + 1);
    const stale = await call(suite.baseUrl, 'PUT', 'v1/policies', { token: admin.token, json: { rules, version: before.body.version } });
    expect(stale.status).toBe(409);
    const auditor = await signIn(suite.baseUrl, admin.tenantId, ['Auditor']);
    const audit = await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: auditor.token });
    const change = audit.body.find((event) => event.type === 'policy.updated');
    expect(change.payload).toMatchObject({ fromVersion: 1, toVersion: 2, changed: ['/caps/newRecipientsPerMailboxPerDay'] });
  });
});

describe('policy round trip', () => {
  it('accepts the document exactly as GET returned it, with a change', async () => {
    const current = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token })).body;
    const edited = { ...current, rules: { ...current.rules, approvals: { ...current.rules.approvals, expiryHours: 48 } } };
    const saved = await call(suite.baseUrl, 'PUT', 'v1/policies', { token: admin.token, json: edited });
    expect(saved.status).toBe(200);
    expect(saved.body.rules.approvals.expiryHours).toBe(48);
    const foreign = await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: admin.token,
      json: { ...edited, version: saved.body.version, tenantId: 'someone-else' },
    });
    expect(foreign.status).toBe(400);
  });
});

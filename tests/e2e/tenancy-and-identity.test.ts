import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, newTenantId, signIn, startSuite, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign, type LoopFixture } from '../support/governed-loop';

let suite: RunningSuite;
let tenantA: LoopFixture;
let tenantB: LoopFixture;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
  tenantA = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nalpha@a-corp.example,Al,A Corp');
  tenantB = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nbeta@b-corp.example,Bea,B Corp');
  await call(suite.baseUrl, 'POST', `v1/campaigns/${tenantB.campaignId}/start`, { token: tenantB.manager.token, json: {} });
  await pendingApprovals(tenantB, 1);
});
afterAll(async () => suite?.stop());

describe('tenant isolation', () => {
  it("never shows tenant B's records to tenant A", async () => {
    const a = tenantA;
    for (const path of ['v1/prospects', 'v1/campaigns', 'v1/approvals?status=pending', 'v1/deals']) {
      const { status, body } = await call<any[]>(suite.baseUrl, 'GET', path, { token: (path.includes('approvals') ? a.manager : a.operator).token });
      expect(status).toBe(200);
      expect(JSON.stringify(body)).not.toContain('b-corp.example');
      expect(JSON.stringify(body)).not.toContain(tenantB.campaignId);
    }
    const audit = await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: a.auditor.token });
    expect(audit.body.every((event) => event.tenantId === a.tenantId)).toBe(true);
  });

  it("answers 404 for tenant B's campaign and approval, and changes nothing", async () => {
    const [approvalOfB] = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: tenantB.manager.token })).body;
    expect((await call(suite.baseUrl, 'GET', `v1/campaigns/${tenantB.campaignId}`, { token: tenantA.operator.token })).status).toBe(404);
    const stop = await call(suite.baseUrl, 'POST', `v1/campaigns/${tenantB.campaignId}/stop`, { token: tenantA.manager.token, json: {} });
    expect(stop.status).toBe(404);
    const approve = await call(suite.baseUrl, 'POST', `v1/approvals/${approvalOfB.id}/approve`, { token: tenantA.manager.token, json: {} });
    expect(approve.status).toBe(404);
    expect(approve.contentType).toContain('application/problem+json');
    const enrol = await call(suite.baseUrl, 'POST', `v1/campaigns/${tenantA.campaignId}/prospects`, {
      token: tenantA.revops.token,
      json: { prospectIds: tenantB.prospectIds },
    });
    expect(enrol.status).toBe(400);
    expect((await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: tenantB.manager.token })).body).toHaveLength(1);
    expect(await outbox(tenantB)).toHaveLength(0);
  });
});

describe('identity', () => {
  it('refuses a call without a token, with a forged token, or with an expired token', async () => {
    const missing = await call(suite.baseUrl, 'GET', 'v1/prospects');
    expect(missing.status).toBe(401);
    expect(missing.contentType).toContain('application/problem+json');

    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ tid: tenantA.tenantId, oid: 'mallory', roles: ['Owner'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://asep.local/issuer')
      .setAudience('api://asep-local')
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await call(suite.baseUrl, 'GET', 'v1/prospects', { token: forged })).status).toBe(401);

    const expired = await call<{ access_token: string }>(suite.baseUrl, 'POST', 'dev/token', {
      json: { tenantId: tenantA.tenantId, userId: 'late', name: 'Late', roles: ['Owner'], expiresInSeconds: -600 },
    });
    expect((await call(suite.baseUrl, 'GET', 'v1/prospects', { token: expired.body.access_token })).status).toBe(401);
    expect((await call(suite.baseUrl, 'GET', 'v1/prospects', { token: 'not-a-jwt' })).status).toBe(401);
  });

  it('lets an Operator read but not approve (403)', async () => {
    await call(suite.baseUrl, 'POST', `v1/campaigns/${tenantA.campaignId}/start`, { token: tenantA.manager.token, json: {} });
    const [approval] = await pendingApprovals(tenantA, 1);
    const refused = await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: tenantA.operator.token, json: {} });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/Manager/);
    expect((await call(suite.baseUrl, 'GET', 'v1/prospects', { token: tenantA.operator.token })).status).toBe(200);
    expect((await call(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: tenantA.manager.token })).body).toHaveLength(1);
  });

  it('provisions a tenant it has not seen with the default policy on first use', async () => {
    const admin = await signIn(suite.baseUrl, newTenantId(), ['Admin']);
    const policy = await call(suite.baseUrl, 'GET', 'v1/policies', { token: admin.token });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({
      tenantId: admin.tenantId,
      version: 1,
      rules: { approvals: { firstTouch: true }, caps: { newRecipientsPerMailboxPerDay: 40 } },
    });
    expect(policy.body.rules.recipients.blockedTlds).toContain('gov');
  });
});

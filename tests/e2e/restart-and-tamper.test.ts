import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, signIn, sleep, startSuite, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign } from '../support/governed-loop';

let suite: RunningSuite | undefined;
afterEach(async () => suite?.stop());

describe('a restart of the suite', () => {
  it('resumes a sequence waiting for approval, and sends exactly once across restarts', async () => {
    suite = await startSuite({ seed: false });
    const tenantId = newTenantId();
    const loop = await prepareCampaign(suite.baseUrl, tenantId, 'email,first_name,company\nrestart@persist.example,Ren,Persist');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const [approval] = await pendingApprovals(loop, 1);
    const { dataDir } = suite;
    await suite.stop();

    suite = await startSuite({ dataDir });
    const manager = await signIn(suite.baseUrl, tenantId, ['Manager']);
    const approved = await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: manager.token, json: {} });
    expect(approved.status).toBe(200);
    const fixture = { baseUrl: suite.baseUrl, tenantId };
    await eventually(async () => ((await outbox(fixture)).length > 0 ? true : undefined), 'the send after restart');
    await suite.stop();

    suite = await startSuite({ dataDir });
    await sleep(1500);
    expect(await outbox({ baseUrl: suite.baseUrl, tenantId })).toHaveLength(1);
    const auditor = await signIn(suite.baseUrl, tenantId, ['Auditor']);
    expect((await call(suite.baseUrl, 'GET', 'v1/audit/verify', { token: auditor.token })).body.valid).toBe(true);
  });
});

describe('the audit chain', () => {
  it('names the sequence number of a stored event someone altered', async () => {
    suite = await startSuite({ seed: false });
    const tenantId = newTenantId();
    await prepareCampaign(suite.baseUrl, tenantId, 'email,company\nx@tamper.example,Tamper');
    const auditor = await signIn(suite.baseUrl, tenantId, ['Auditor']);
    const events = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: auditor.token })).body;
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect((await call(suite.baseUrl, 'GET', 'v1/audit/verify', { token: auditor.token })).body).toMatchObject({ valid: true, count: events.length });
    const { dataDir } = suite;
    await suite.stop();

    // A clean stop folds everything into the snapshot, one JSON line per document.
    const file = join(dataDir, 'cosmos.snapshot.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const victim = lines.find((line: any) => line.c === 'audit' && line.doc.tenantId === tenantId && line.doc.seq === 2);
    victim.doc.payload = { ...victim.doc.payload, imported: 999 };
    await writeFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));

    suite = await startSuite({ dataDir });
    const again = await signIn(suite.baseUrl, tenantId, ['Auditor']);
    const verdict = await call(suite.baseUrl, 'GET', 'v1/audit/verify', { token: again.token });
    expect(verdict.body).toMatchObject({ valid: false, firstBrokenSeq: 2, count: 1 });
  });

  it('keeps one gap-free chain when many events are appended at once', async () => {
    suite = await startSuite({ seed: false });
    const tenantId = newTenantId();
    const revops = await signIn(suite.baseUrl, tenantId, ['RevOps']);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        call(suite!.baseUrl, 'POST', 'v1/prospects/import', {
          token: revops.token,
          text: `email\nracer${index}@race.example`,
          contentType: 'text/csv',
        }),
      ),
    );
    const auditor = await signIn(suite.baseUrl, tenantId, ['Auditor']);
    const events = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: auditor.token })).body;
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: events.length }, (_, index) => index + 1));
    expect(events.filter((event) => event.type === 'prospects.imported')).toHaveLength(20);
    expect((await call(suite.baseUrl, 'GET', 'v1/audit/verify', { token: auditor.token })).body.valid).toBe(true);
  });
});

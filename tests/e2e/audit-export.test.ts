import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenantId, repoRoot, signIn, startSuite, type RunningSuite } from '../support/suite';
import { prepareCampaign } from '../support/governed-loop';

const run = promisify(execFile);
let suite: RunningSuite;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

async function verifyOffline(file: string) {
  return run(process.execPath, ['--import', 'tsx', join(repoRoot, 'functions/src/audit/verify-bundle.ts'), file], { cwd: repoRoot }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

describe('audit export', () => {
  it('exports a bundle that verifies offline, and names a tampered event', async () => {
    const tenantId = newTenantId();
    await prepareCampaign(suite.baseUrl, tenantId, 'email,company\nexport@bundle.example,Bundle');
    const auditor = await signIn(suite.baseUrl, tenantId, ['Auditor']);
    const response = await fetch(`${suite.baseUrl}/api/v1/audit/export`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const bytes = Buffer.from(await response.arrayBuffer());
    const dir = await mkdtemp(join(tmpdir(), 'asep-bundle-'));
    const file = join(dir, 'bundle.zip');
    await writeFile(file, bytes);

    const good = await verifyOffline(file);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^valid: \d+ events/);

    const zip = await JSZip.loadAsync(bytes);
    const lines = (await zip.file('events.jsonl')!.async('string')).trim().split('\n');
    const second = JSON.parse(lines[1]!);
    second.actor = { ...second.actor, name: 'someone else' };
    lines[1] = JSON.stringify(second);
    zip.file('events.jsonl', `${lines.join('\n')}\n`);
    const tampered = join(dir, 'tampered.zip');
    await writeFile(tampered, await zip.generateAsync({ type: 'nodebuffer' }));
    const bad = await verifyOffline(tampered);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('first broken sequence number 2');
  });
});

describe('tenant offboarding', () => {
  it('lets only the Owner delete every record of the tenant, leaving other tenants alone', async () => {
    const leaving = newTenantId();
    const staying = newTenantId();
    await prepareCampaign(suite.baseUrl, leaving, 'email,company\nbye@leaving.example,Leaving');
    const stay = await prepareCampaign(suite.baseUrl, staying, 'email,company\nhi@staying.example,Staying');
    const owner = await signIn(suite.baseUrl, leaving, ['Owner']);
    const admin = await signIn(suite.baseUrl, leaving, ['Admin']);

    const refused = await fetch(`${suite.baseUrl}/api/v1/tenant/offboard`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmTenantId: leaving }),
    });
    expect(refused.status).toBe(403);
    const mistyped = await fetch(`${suite.baseUrl}/api/v1/tenant/offboard`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmTenantId: staying }),
    });
    expect(mistyped.status).toBe(400);

    const done = await fetch(`${suite.baseUrl}/api/v1/tenant/offboard`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmTenantId: leaving }),
    });
    expect(done.status).toBe(200);
    const summary = await done.json();
    expect(summary.deleted.prospects).toBe(1);
    expect(summary.deleted.audit).toBeGreaterThan(3);
    expect(summary.auditHead).toMatch(/^[0-9a-f]{64}$/);

    const revops = await signIn(suite.baseUrl, leaving, ['RevOps', 'Auditor']);
    const prospects = await (await fetch(`${suite.baseUrl}/api/v1/prospects`, { headers: { authorization: `Bearer ${revops.token}` } })).json();
    expect(prospects).toEqual([]);
    const stayingProspects = await (
      await fetch(`${suite.baseUrl}/api/v1/prospects`, { headers: { authorization: `Bearer ${stay.operator.token}` } })
    ).json();
    expect(stayingProspects).toHaveLength(1);
  });
});

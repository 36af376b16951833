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

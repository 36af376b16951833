import { afterAll, describe, expect, it } from 'vitest';
import { call, eventually, everyPage, newTenantId, signIn, startSuite, type RunningSuite } from '../support/suite';

let suite: RunningSuite | undefined;
afterAll(async () => suite?.stop());

async function storedEmails(baseUrl: string, token: string): Promise<string[]> {
  return (await everyPage<{ email: string }>(baseUrl, 'v1/prospects?limit=1000', token)).flat().map((prospect) => prospect.email);
}

describe('an import cut short by a crash', () => {
  it('shows as failed once its host is gone, keeps every row it reported, and importing again lands each good row exactly once', async () => {
    suite = await startSuite({ seed: false });
    const tenantId = newTenantId();
    let revops = await signIn(suite.baseUrl, tenantId, ['RevOps']);
    const rows = 10_000;
    const file = ['Email,Full Name', ...Array.from({ length: rows }, (_, i) => `crash${i}@restart${i % 40}.example,Person ${i}`)].join('\n');
    const started = await fetch(`${suite.baseUrl}/api/v1/prospects/import?background=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${revops.token}`, 'content-type': 'text/csv' },
      body: file,
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };

    // Killed as a crash would (SIGKILL), once some rows are written and reported.
    const reported = await eventually(
      async () => {
        const { body } = await call(suite!.baseUrl, 'GET', `v1/imports/${job.id}`, { token: revops.token });
        return body.progress.imported > 0 ? (body.progress as { imported: number }) : undefined;
      },
      'the import to report written rows',
      120_000,
    );
    await suite.kill();
    suite = await startSuite({ dataDir: suite.dataDir, reset: false, seed: false });
    revops = await signIn(suite.baseUrl, tenantId, ['RevOps']);

    // Nothing runs it any more: once its heartbeat is older than a minute it says so, and what to do.
    await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: 1 } });
    revops = await signIn(suite.baseUrl, tenantId, ['RevOps']);
    const after = await call(suite.baseUrl, 'GET', `v1/imports/${job.id}`, { token: revops.token });
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('failed');
    expect(after.body.error).toMatch(/import the file again/);

    // Every row reported as imported before the crash is still there (bulk writes reach the write-ahead log).
    const survived = await storedEmails(suite.baseUrl, revops.token);
    expect(survived.length).toBeGreaterThanOrEqual(reported.imported);
    expect(new Set(survived).size).toBe(survived.length);

    const again = await call(suite.baseUrl, 'POST', 'v1/prospects/import', { token: revops.token, text: file, contentType: 'text/csv' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ imported: rows - survived.length, updated: survived.length, skipped: 0 });
    const stored = await storedEmails(suite.baseUrl, revops.token);
    expect(stored).toHaveLength(rows);
    expect(new Set(stored).size).toBe(rows);
  }, 400_000);
});

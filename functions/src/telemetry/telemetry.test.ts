import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSuite, type LocalSuite } from '@asep/local/start';
import { configureLog, inScope, log } from './telemetry';

let suite: LocalSuite;
beforeAll(async () => {
  suite = await startLocalSuite({
    port: 0,
    dataDir: await mkdtemp(join(tmpdir(), 'asep-otel-')),
    reset: true,
    seed: false,
    log: () => undefined,
    telemetry: 'memory',
  });
});
afterAll(async () => suite?.close());

describe('telemetry', () => {
  it('puts the tenant id and the correlation id on the span of every API request', async () => {
    const tenantId = '33333333-4444-4555-8666-777777777777';
    const { access_token } = await (
      await fetch(`${suite.baseUrl}/api/dev/token`, {
        method: 'POST',
        body: JSON.stringify({ tenantId, userId: 'u', name: 'U', roles: ['Operator'] }),
      })
    ).json();
    await fetch(`${suite.baseUrl}/api/v1/prospects`, { headers: { authorization: `Bearer ${access_token}`, 'x-correlation-id': 'corr-123' } });
    const span = suite.spans!.getFinishedSpans().find((candidate) => candidate.name === 'GET /api/v1/prospects');
    expect(span?.attributes).toMatchObject({ 'asep.tenant_id': tenantId, 'asep.correlation_id': 'corr-123' });
  });

  it('writes log lines with the scope and without secrets or bodies', () => {
    const lines: string[] = [];
    configureLog({ sink: (line) => lines.push(line) });
    inScope({ tenantId: 't-1', correlationId: 'c-1' }, () => log.info('sent', { accessToken: 'eyJ.secret', body: 'Dear Jane', messageCount: 2 }));
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      level: 'info',
      message: 'sent',
      tenantId: 't-1',
      correlationId: 'c-1',
      messageCount: 2,
      accessToken: '[redacted]',
      body: '[redacted]',
    });
    expect(lines[0]).not.toContain('eyJ.secret');
    expect(lines[0]).not.toContain('Dear Jane');
  });
});

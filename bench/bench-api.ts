import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSuite, type LocalSuite } from '../local/src/start';
import { everyPage } from '../local/src/suite-api';

/** The HTTP calls the benchmarks make against a running local suite: a failed call stops the run with its answer. */
export async function api<T = any>(baseUrl: string, method: string, path: string, token?: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${baseUrl}/api/${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function tokenFor(baseUrl: string, tenantId: string, roles: string[]): Promise<string> {
  return (
    await api<{ access_token: string }>(baseUrl, 'POST', 'dev/token', undefined, { tenantId, userId: `bench-${roles[0]}`, name: 'Bench', roles })
  ).access_token;
}

/** Every prospect of the tenant, a page of 1,000 at a time. */
export async function allProspects(baseUrl: string, token: string): Promise<{ id: string; email: string }[]> {
  return (await everyPage<{ id: string; email: string }>(baseUrl, 'v1/prospects?limit=1000', token)).flat();
}

/** Lets the tenant send without approvals, at any hour, under caps high enough that caps are not what is measured. */
export async function unattendedSending(baseUrl: string, admin: string, newRecipientsPerDay: number): Promise<void> {
  const policy = await api(baseUrl, 'GET', 'v1/policies', admin);
  await api(baseUrl, 'PUT', 'v1/policies', admin, {
    rules: {
      ...policy.rules,
      approvals: { ...policy.rules.approvals, firstTouch: false },
      caps: { ...policy.rules.caps, sendsPerMailboxPerMinute: 30, newRecipientsPerMailboxPerDay: newRecipientsPerDay },
      sendingWindow: { ...policy.rules.sendingWindow, enabled: false },
    },
  });
}

/**
 * A script run alone (`npx tsx bench/<name>.ts`): starts an empty local suite, prints the lines `measure` gives
 * back, closes the suite; a failure prints and exits non-zero.
 */
export function runAlone(module: NodeModule, name: string, measure: (suite: LocalSuite) => Promise<string[]>): void {
  if (require.main !== module) return;
  const run = async () => {
    const suite = await startLocalSuite({
      port: 0,
      dataDir: await mkdtemp(join(tmpdir(), `asep-bench-${name}-`)),
      reset: true,
      seed: false,
      log: () => undefined,
    });
    try {
      for (const line of await measure(suite)) console.log(line);
    } finally {
      await suite.close();
    }
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '@asep/shared/access/roles';
import { registeredFunctions } from '../../local/src/functions-host';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { signIn, type Person } from '../support/suite';

/**
 * Ids as an attacker or a broken client sends them. In a path they go percent-encoded, as a browser would; a lone
 * surrogate has no UTF-8 form, so in a path it is the encoding of one (which no decoder accepts) and `%FF`.
 */
const hostileIds: { name: string; value: string; inPath: string }[] = [
  { name: 'slash', value: 'a/b', inPath: 'a%2Fb' },
  { name: 'backslash', value: 'a\\b', inPath: 'a%5Cb' },
  { name: 'hash', value: 'a#b', inPath: 'a%23b' },
  { name: 'question mark', value: 'a?b', inPath: 'a%3Fb' },
  { name: 'empty', value: '', inPath: '' },
  { name: 'whitespace', value: ' \t ', inPath: '%20%09%20' },
  { name: 'lone surrogate', value: '\uD800', inPath: '%ED%A0%80' },
  { name: 'invalid UTF-8', value: '\uFFFD', inPath: '%FF' },
  { name: 'very long', value: 'x'.repeat(10_000), inPath: 'x'.repeat(10_000) },
  { name: 'CRLF', value: 'a\r\nb', inPath: 'a%0D%0Ab' },
  { name: 'dot-dot', value: '..', inPath: '..%2F..' },
];

/** Body and query fields that carry ids, each set to the hostile value in an otherwise valid request. */
function bodiesWith(id: string): Record<string, unknown>[] {
  const now = Date.now();
  return [
    {},
    { prospectIds: [id] },
    { prospectIds: ['prs-fine', id] },
    { scope: 'campaign', campaignId: id, active: true, reason: 'hostile id walk' },
    { prospectId: id, start: new Date(now + 86_400_000).toISOString(), end: new Date(now + 88_200_000).toISOString() },
    { internetMessageId: id },
    { action: { type: 'send_email', campaignId: id, mailbox: 'a@b.example', to: 'c@d.example', subject: 's', body: 'b', isFirstTouch: true } },
    { tenantId: id, userId: id, name: id, roles: ['Owner'] },
    { tenantId: id, from: 'a@b.example', to: 'c@d.example', subject: id, body: id, inReplyTo: id },
    { tenantId: id, mailbox: 'a@b.example' },
    { confirmTenantId: id },
    { label: 'positive', note: id },
  ];
}

const queryFields = ['id', 'prospectId', 'campaignId', 'internetMessageId', 'tenantId', 'to', 'status', 'after', 'limit', 'token'];

function queryWith(id: string): string {
  return queryFields.map((field) => `${field}=${encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}`).join('&');
}

interface Route {
  route: string;
  methods: string[];
}

function httpRoutes(): Route[] {
  return registeredFunctions().flatMap((registration) =>
    Object.values(registration.bindings)
      .filter((binding) => binding.type === 'httpTrigger')
      .map((binding) => ({ route: (binding.route ?? registration.name).replace(/^\/+/, ''), methods: binding.methods ?? ['GET', 'POST'] })),
  );
}

let suite: LocalSuite;
let person: Person;

beforeAll(async () => {
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-hostile-')), reset: true, seed: false, log: () => undefined });
  person = await signIn(suite.baseUrl, '77777777-3333-4444-8555-666666666666', [...roles], 'Hostile Walker');
});
afterAll(async () => suite?.close());

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${suite.baseUrl}/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${person.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

describe('hostile ids', () => {
  it('get no 5xx from any route, in the path, the query or the body', async () => {
    const routes = httpRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let requests = 0;
    for (const { route, methods } of routes) {
      for (const method of methods.map((m) => m.toUpperCase())) {
        for (const hostile of hostileIds) {
          const path = `${route.replace(/\{\w+\??(?::[^}]*)?\}/g, hostile.inPath)}?${queryWith(hostile.value)}`;
          const bodies = method === 'GET' ? [undefined] : bodiesWith(hostile.value);
          for (const body of bodies) {
            const response = await send(method, path, body);
            requests += 1;
            if (response.status >= 500)
              failures.push(
                `${method} /api/${route} [${hostile.name}] ${JSON.stringify(body)?.slice(0, 80)}: ${response.status} ${response.text.slice(0, 200)}`,
              );
            if (/at .*\.[tj]s:\d+/.test(response.text)) failures.push(`${method} /api/${route} [${hostile.name}]: a stack trace in the answer`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(1_000);
  });

  it('answer a malformed id in a path with a 400 problem naming the parameter, before any lookup', async () => {
    for (const inPath of ['a%2Fb', 'a%5Cb', 'a%23b', '%20', '%ED%A0%80', '%FF', 'x'.repeat(500)]) {
      const response = await send('POST', `v1/campaigns/${inPath}/start`, {});
      expect(response.status, inPath).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
      expect(JSON.parse(response.text).errors.map((error: { field: string }) => error.field)).toEqual(['id']);
    }
  });

  it('answer a malformed id in a body or query with a 400 problem naming the field', async () => {
    const enrol = await send('POST', 'v1/campaigns/cmp-missing/prospects', { prospectIds: ['prs-fine', 'a/b'] });
    expect(enrol.status).toBe(400);
    expect(JSON.parse(enrol.text).errors[0].field).toBe('prospectIds.1');
    const killSwitch = await send('PUT', 'v1/killswitch', { scope: 'campaign', campaignId: '\uD800', active: true, reason: 'x' });
    expect(killSwitch.status).toBe(400);
    expect(JSON.parse(killSwitch.text).errors[0].field).toBe('campaignId');
    const booking = await send('POST', 'v1/bookings', { prospectId: ' ', start: '2030-01-01T10:00:00Z', end: '2030-01-01T10:30:00Z' });
    expect(JSON.parse(booking.text).errors[0].field).toBe('prospectId');
    const insight = await send('GET', `v1/insights/by-message?internetMessageId=${encodeURIComponent('<a b@c>')}`);
    expect(insight.status).toBe(400);
    expect(JSON.parse(insight.text).errors[0].field).toBe('internetMessageId');
  });

  it('answer a well-formed id that does not exist with a 404 problem', async () => {
    const response = await send('POST', 'v1/campaigns/cmp-0000000000000000/start', {});
    expect(response.status).toBe(404);
    expect(response.contentType).toContain('application/problem+json');
  });
});

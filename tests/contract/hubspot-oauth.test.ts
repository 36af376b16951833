import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../functions/src/audit/audit-log';
import { AdjustableClock } from '../../functions/src/clock/clock';
import { hubSpotScopes } from '../../functions/src/hubspot/config';
import type { HubSpotIntegration } from '../../functions/src/hubspot/integration';
import { InvalidStateError, signState, stateLifetimeMs } from '../../functions/src/hubspot/oauth-state';
import { openTokens } from '../../functions/src/hubspot/token-cipher';
import { provideIntegrations } from '../../functions/src/integrations/integrations';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '../../local/src/cosmos-emulator';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import type { Principal } from '../../functions/src/identity/principal';
import { createCosmosClient, ensureDatabase } from '../../functions/src/store/cosmos';
import { createStore, type Store } from '../../functions/src/store/store';
import { call, signIn } from '../support/suite';
import { hubSpotAppSecrets, hubSpotIntegration } from './fakes/hubspot-integration';

const tenantId = '5d7e0c11-0000-4000-8000-0000000000a1';
const admin: Principal = { tenantId, userId: 'user-admin', name: 'Ada Admin', roles: ['Admin'] };
const clientSecret = 'oauth-test-client-secret';
const appSecrets = hubSpotAppSecrets(clientSecret);
const { stateKey, tokenKey } = appSecrets;
/** The app as the token server expects it to call: its client id, and the console page it returns people to. */
const asepApp = { clientId: 'asep-client', returnUrl: 'https://asep.example/console/#/settings/integrations', secrets: appSecrets };

/** HubSpot's token endpoint, as far as ASEP uses it: code and refresh grants, form-encoded, checked like HubSpot does. */
interface TokenServer {
  url: string;
  grants: URLSearchParams[];
  refuseRefresh: boolean;
  close(): Promise<void>;
}

async function startTokenServer(): Promise<TokenServer> {
  let issued = 0;
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const form = new URLSearchParams(raw);
      if (request.method !== 'POST' || request.url !== '/oauth/v1/token' || request.headers['content-type'] !== 'application/x-www-form-urlencoded') {
        return answer(404, { status: 'NOT_FOUND', message: 'unknown route' });
      }
      tokens.grants.push(form);
      if (form.get('client_id') !== 'asep-client' || form.get('client_secret') !== clientSecret)
        return answer(400, { status: 'BAD_CLIENT_ID', message: 'bad client' });
      if (form.get('grant_type') === 'authorization_code') {
        if (form.get('code') !== 'good-code' || form.get('redirect_uri') !== 'https://asep.example/api/integrations/hubspot/callback') {
          return answer(400, { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' });
        }
      } else if (form.get('grant_type') !== 'refresh_token' || !form.get('refresh_token')?.startsWith('refresh-') || tokens.refuseRefresh) {
        return answer(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' });
      }
      issued += 1;
      answer(200, {
        token_type: 'bearer',
        access_token: `access-${issued}`,
        refresh_token: `refresh-${issued}`,
        expires_in: 1800,
        hub_id: 62515,
        scopes: [...hubSpotScopes],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokens: TokenServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    grants: [],
    refuseRefresh: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return tokens;
}

let emulator: RunningEmulator;
let database = 0;
beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(() => emulator.close());

let tokens: TokenServer;
let store: Store;
let audit: AuditLog;
let clock: AdjustableClock;
let hubspot: HubSpotIntegration;

beforeEach(async () => {
  database += 1;
  tokens = await startTokenServer();
  store = createStore(
    await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: `oauth-${database}` }), `oauth-${database}`),
  );
  clock = new AdjustableClock();
  audit = new AuditLog(store.auditContainer, clock);
  ({ hubspot } = hubSpotIntegration({ ...asepApp, apiBaseUrl: tokens.url, store, audit, clock }));
});
afterEach(() => tokens.close());

const stateOf = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get('state')!;

describe('connecting a tenant’s HubSpot portal (OAuth)', () => {
  it('sends the person to HubSpot with the minimal scopes and a state bound to their tenant', async () => {
    const url = new URL(await hubspot.connections.authorizeUrl(admin));

    expect(url.origin + url.pathname).toBe('https://app.hubspot.com/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('asep-client');
    expect(url.searchParams.get('redirect_uri')).toBe('https://asep.example/api/integrations/hubspot/callback');
    expect(url.searchParams.get('scope')?.split(' ')).toEqual([
      'oauth',
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.objects.companies.read',
      'crm.objects.companies.write',
      'crm.objects.deals.read',
      'crm.objects.deals.write',
    ]);
    const [payload] = stateOf(url.toString()).split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({ tenantId, userId: admin.userId });
  });

  it('exchanges the code, stores the tokens sealed, and reports the portal connected with its scopes', async () => {
    const before = await hubspot.connections.status(tenantId);
    const connection = await hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(admin)), 'good-code', 'corr-1');
    const after = await hubspot.connections.status(tenantId);

    expect(before).toMatchObject({ status: 'disconnected', scopes: [] });
    expect(connection).toEqual({ tenantId, hubId: 62515 });
    expect(after).toMatchObject({ status: 'connected', hubId: 62515, scopes: [...hubSpotScopes], missingScopes: [] });
    const [stored] = await hubspot.collections.connections.query(tenantId);
    expect(JSON.stringify(stored)).not.toMatch(/access-1|refresh-1/);
    expect(openTokens(tokenKey, tenantId, stored!.tokens)).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(() => openTokens(tokenKey, 'another-tenant', stored!.tokens)).toThrow(/do not open/);
    const events = await audit.all(tenantId);
    expect(events).toEqual([expect.objectContaining({ type: 'integration.connected', payload: expect.objectContaining({ hubId: 62515 }) })]);
    expect(JSON.stringify(events)).not.toMatch(/access-1|refresh-1|oauth-test-client-secret/);
  });

  it('accepts a state only once', async () => {
    const state = stateOf(await hubspot.connections.authorizeUrl(admin));
    await hubspot.connections.complete(state, 'good-code', 'corr-1');

    await expect(hubspot.connections.complete(state, 'good-code', 'corr-2')).rejects.toThrow(/already used/);
    expect(tokens.grants).toHaveLength(1);
  });

  it('refuses a forged, tampered or expired state before anything reaches HubSpot', async () => {
    const genuine = stateOf(await hubspot.connections.authorizeUrl(admin));
    const [payload, signature] = genuine.split('.');
    const otherTenant = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), tenantId: 'someone-else' }),
    ).toString('base64url');
    const forged = signState(randomBytes(32), admin, clock.now());
    const expired = signState(stateKey, admin, new Date(clock.now().getTime() - stateLifetimeMs - 1000));

    for (const state of [`${otherTenant}.${signature}`, forged, expired, 'not-a-state']) {
      await expect(hubspot.connections.complete(state, 'good-code', 'corr')).rejects.toBeInstanceOf(InvalidStateError);
    }
    expect(tokens.grants).toEqual([]);
  });

  it('renews the access token five minutes before it expires, not earlier', async () => {
    await hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(admin)), 'good-code', 'corr');
    const access = (await hubspot.connections.access(tenantId))!;

    const fresh = await access.accessToken();
    clock.advance((30 - 6) * 60_000);
    const stillFresh = await access.accessToken();
    clock.advance(2 * 60_000);
    const renewed = await access.accessToken();

    expect([fresh, stillFresh, renewed]).toEqual(['access-1', 'access-1', 'access-2']);
    expect(tokens.grants.map((grant) => grant.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
    expect(tokens.grants[1]?.get('refresh_token')).toBe('refresh-1');
  });

  it('renews once for concurrent 401s', async () => {
    await hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(admin)), 'good-code', 'corr');
    const access = (await hubspot.connections.access(tenantId))!;

    const renewed = await Promise.all([access.renewedAccessToken(), access.renewedAccessToken(), access.renewedAccessToken()]);

    expect(new Set(renewed)).toEqual(new Set(['access-2']));
    expect(tokens.grants.filter((grant) => grant.get('grant_type') === 'refresh_token')).toHaveLength(1);
  });

  it('asks for a reconnection when HubSpot refuses the refresh token', async () => {
    await hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(admin)), 'good-code', 'corr');
    const access = (await hubspot.connections.access(tenantId))!;
    tokens.refuseRefresh = true;

    await expect(access.renewedAccessToken()).rejects.toMatchObject({ code: 'BAD_REFRESH_TOKEN', revoked: true });

    expect(await hubspot.connections.status(tenantId)).toMatchObject({ status: 'reconnect-required' });
    expect(await hubspot.connections.access(tenantId)).toBeUndefined();
    expect(await hubspot.connections.connectedTenants()).toEqual([]);
    expect(await hubspot.connections.tenantForPortal(62515)).toBeUndefined();
    expect((await audit.all(tenantId)).map((event) => event.type)).toEqual(['integration.connected', 'integration.revoked']);
  });

  it('lists the tenant among the connected ones and routes its portal’s webhooks to it', async () => {
    await hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(admin)), 'good-code', 'corr');

    expect(await hubspot.connections.connectedTenants()).toEqual([tenantId]);
    expect(await hubspot.connections.tenantForPortal(62515)).toBe(tenantId);
  });

  it('refuses to connect a portal another tenant already connected', async () => {
    await hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(admin)), 'good-code', 'corr');
    const otherAdmin: Principal = { ...admin, tenantId: '5d7e0c11-0000-4000-8000-0000000000c3' };

    await expect(hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(otherAdmin)), 'good-code', 'corr')).rejects.toThrow(
      /already connected to another ASEP tenant/,
    );
    expect(await hubspot.connections.status(otherAdmin.tenantId)).toMatchObject({ status: 'disconnected' });
  });

  it('reports a refused code without storing a connection', async () => {
    await expect(hubspot.connections.complete(stateOf(await hubspot.connections.authorizeUrl(admin)), 'stale-code', 'corr')).rejects.toMatchObject({
      code: 'BAD_AUTH_CODE',
    });
    expect(await hubspot.connections.status(tenantId)).toMatchObject({ status: 'disconnected' });
  });
});

describe('the connect, callback and status routes', () => {
  let suite: LocalSuite;
  let routeTokens: TokenServer;
  const routeTenant = '5d7e0c11-0000-4000-8000-0000000000b2';

  beforeAll(async () => {
    routeTokens = await startTokenServer();
    suite = await startLocalSuite({
      port: 0,
      dataDir: await mkdtemp(join(tmpdir(), 'asep-hubspot-')),
      reset: true,
      seed: false,
      log: () => undefined,
    });
    provideIntegrations((services) => ({
      hubspot: hubSpotIntegration({ ...asepApp, apiBaseUrl: routeTokens.url, store: services.store, audit: services.audit, clock: services.clock })
        .hubspot,
    }));
  });
  afterAll(async () => {
    provideIntegrations(() => ({}));
    await suite?.close();
    await routeTokens?.close();
  });

  it('lets an Admin connect HubSpot and then shows the portal connected with its scopes', async () => {
    const adminUser = await signIn(suite.baseUrl, routeTenant, ['Admin']);
    const before = await call(suite.baseUrl, 'GET', 'v1/integrations/status', { token: adminUser.token });
    const started = await call(suite.baseUrl, 'POST', 'v1/integrations/hubspot/connect', { token: adminUser.token });
    const state = stateOf(started.body.authorizeUrl);
    const callback = await fetch(`${suite.baseUrl}/api/integrations/hubspot/callback?code=good-code&state=${encodeURIComponent(state)}`, {
      redirect: 'manual',
    });
    const replayed = await fetch(`${suite.baseUrl}/api/integrations/hubspot/callback?code=good-code&state=${encodeURIComponent(state)}`, {
      redirect: 'manual',
    });
    const after = await call(suite.baseUrl, 'GET', 'v1/integrations/status', { token: adminUser.token });

    expect(before.body.hubspot).toMatchObject({ status: 'disconnected' });
    expect(started.status).toBe(200);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('https://asep.example/console/?hubspot=connected#/settings/integrations');
    expect(replayed.status).toBe(400);
    expect(after.body.hubspot).toMatchObject({ status: 'connected', hubId: 62515, scopes: [...hubSpotScopes], missingScopes: [] });
    expect(JSON.stringify(after.body)).not.toMatch(/access-|refresh-/);
  });

  it('maps ASEP deal stages onto the tenant’s own pipeline, validated', async () => {
    const adminUser = await signIn(suite.baseUrl, routeTenant, ['Admin']);
    const mapping = { pipelineId: 'sales-eu', stages: { POSITIVE_REPLY: '101', MEETING_BOOKED: '102', QUALIFIED: '103', DISQUALIFIED: '109' } };

    const saved = await call(suite.baseUrl, 'PUT', 'v1/integrations/hubspot/deal-stages', { token: adminUser.token, json: mapping });
    const incomplete = await call(suite.baseUrl, 'PUT', 'v1/integrations/hubspot/deal-stages', {
      token: adminUser.token,
      json: { pipelineId: 'x', stages: {} },
    });
    const status = await call(suite.baseUrl, 'GET', 'v1/integrations/status', { token: adminUser.token });

    expect(saved.status).toBe(200);
    expect(incomplete.status).toBe(400);
    // A mapping that names no won stage keeps HubSpot's own closedwon, so won deals still count as won.
    expect(status.body.hubspot.deals).toEqual({ ...mapping, stages: { ...mapping.stages, WON: 'closedwon' } });
  });

  it('sends a person who declined at HubSpot back to the console with the reason', async () => {
    const declined = await fetch(`${suite.baseUrl}/api/integrations/hubspot/callback?error=access_denied`, { redirect: 'manual' });

    expect(declined.headers.get('location')).toBe('https://asep.example/console/?hubspot=failed&reason=access_denied#/settings/integrations');
  });

  it('refuses the connect route to roles below Admin', async () => {
    const manager = await signIn(suite.baseUrl, routeTenant, ['Manager']);

    const refused = await call(suite.baseUrl, 'POST', 'v1/integrations/hubspot/connect', { token: manager.token });

    expect(refused.status).toBe(403);
  });
});

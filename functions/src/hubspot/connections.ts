import { changeKey } from '@asep/shared/audit/change-key';
import { tenantScoped } from '../store/tenant-store';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock/clock';
import type { Principal } from '../identity/principal';
import { requireKey, requireSecret, type SecretReader } from '../integrations/secrets';
import { ConflictError } from '../store/documents';
import { hubSpotScopes, type HubSpotAppConfig } from './config';
import { defaultDealStageMapping, type DealStageMapping } from './deal-stages';
import { HubSpotOAuthClient, HubSpotOAuthError, type GrantedTokens } from './oauth-client';
import { InvalidStateError, readState, signState } from './oauth-state';
import type { HubSpotCollections, HubSpotConnectionRecord } from './records';
import { openTokens, sealTokens } from './token-cipher';

/** Access tokens are renewed this long before HubSpot says they expire, so no call goes out with a dying token. */
export const refreshBeforeExpiryMs = 5 * 60 * 1000;

const connectionId = 'hubspot-connection';

/** A tenant's way into its portal, for the request layer. */
export interface HubSpotAccess {
  readonly hubId: number;
  accessToken(): Promise<string>;
  /** After HubSpot answered 401: a freshly granted token, whatever the recorded expiry says. */
  renewedAccessToken(): Promise<string>;
}

export interface ConnectionStatus {
  provider: 'hubspot';
  status: 'connected' | 'disconnected' | 'reconnect-required';
  hubId?: number;
  scopes: string[];
  /** Scopes ASEP needs that the portal did not grant; connected portals should have none. */
  missingScopes: string[];
  connectedAt?: string;
  deals: DealStageMapping;
}

/** The portal is already connected to another ASEP tenant: webhooks name only the portal, so it can serve one tenant. */
export class PortalTakenError extends Error {
  constructor(readonly hubId: number) {
    super(`HubSpot portal ${hubId} is already connected to another ASEP tenant.`);
  }
}

export class HubSpotNotConnectedError extends Error {
  constructor(tenantId: string) {
    super(`Tenant ${tenantId} has no working HubSpot connection.`);
  }
}

export interface HubSpotConnectionsOptions {
  config: HubSpotAppConfig;
  collections: HubSpotCollections;
  secrets: SecretReader;
  clock: Clock;
  audit: AuditLog;
  fetchImpl?: typeof fetch;
}

/**
 * Per-tenant HubSpot OAuth: the signed connect request, the code exchange, sealed token storage and renewal. Tokens
 * leave this class only as the bearer token of a request; they are never logged, audited or stored in clear.
 */
export class HubSpotConnections {
  private readonly oauth: HubSpotOAuthClient;
  private readonly tokenCache = new Map<string, { accessToken: string; expiresAt: number }>();
  private readonly renewals = new Map<string, Promise<string>>();
  private readonly portalTenants = new Map<number, string>();

  constructor(private readonly options: HubSpotConnectionsOptions) {
    const { config, secrets } = options;
    this.oauth = new HubSpotOAuthClient(config, () => requireSecret(secrets, config.secretNames.clientSecret), options.fetchImpl);
  }

  /** HubSpot's install URL for this tenant, carrying a state only ASEP can sign. */
  async authorizeUrl(principal: Principal): Promise<string> {
    const { config, secrets, clock } = this.options;
    const state = signState(await requireKey(secrets, config.secretNames.stateKey), principal, clock.now());
    const url = new URL(config.authorizeUrl);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('redirect_uri', config.redirectUri);
    url.searchParams.set('scope', hubSpotScopes.join(' '));
    url.searchParams.set('state', state);
    return url.toString();
  }

  /** Completes the connection HubSpot sent the person back with: verifies the state, spends it, exchanges the code. */
  async complete(state: string, code: string, correlationId: string): Promise<{ tenantId: string; hubId: number }> {
    const { config, secrets, clock, collections, audit } = this.options;
    const started = readState(await requireKey(secrets, config.secretNames.stateKey), state, clock.now());
    const now = clock.now().toISOString();
    try {
      await tenantScoped(collections.stateUses, started.tenantId).create({
        id: `hubspot-state-${started.nonce}`,
        usedAt: now,
      });
    } catch (error) {
      if (error instanceof ConflictError) throw new InvalidStateError('This connection request was already used; start again from ASEP.');
      throw error;
    }
    const granted = await this.oauth.exchangeCode(code);
    const owner = await this.tenantForPortal(granted.hubId);
    if (owner && owner !== started.tenantId) throw new PortalTakenError(granted.hubId);
    const previous = await this.read(started.tenantId);
    await tenantScoped(collections.connections, started.tenantId).upsert({
      id: connectionId,
      hubId: granted.hubId,
      scopes: granted.scopes,
      tokens: sealTokens(await this.tokenKey(), started.tenantId, granted),
      accessTokenExpiresAt: this.expiryOf(granted),
      connectedAt: now,
      connectedBy: started.userId,
      deals: previous?.deals ?? defaultDealStageMapping,
    });
    this.tokenCache.delete(started.tenantId);
    this.portalTenants.set(granted.hubId, started.tenantId);
    await audit.append(started.tenantId, {
      actor: { type: 'user', id: started.userId },
      type: 'integration.connected',
      correlationId,
      idempotencyKey: `integration.connected:hubspot:${started.nonce}`,
      payload: { provider: 'hubspot', hubId: granted.hubId, scopes: granted.scopes, missingScopes: missingScopes(granted.scopes) },
    });
    return { tenantId: started.tenantId, hubId: granted.hubId };
  }

  async status(tenantId: string): Promise<ConnectionStatus> {
    const record = await this.read(tenantId);
    if (!record)
      return { provider: 'hubspot', status: 'disconnected', scopes: [], missingScopes: [...hubSpotScopes], deals: defaultDealStageMapping };
    return {
      provider: 'hubspot',
      status: record.revokedAt ? 'reconnect-required' : 'connected',
      hubId: record.hubId,
      scopes: record.scopes,
      missingScopes: missingScopes(record.scopes),
      connectedAt: record.connectedAt,
      deals: record.deals,
    };
  }

  /** The tenant's portal access, or undefined when it has not connected HubSpot (or must connect again). */
  async access(tenantId: string): Promise<HubSpotAccess | undefined> {
    const record = await this.read(tenantId);
    if (!record || record.revokedAt) return undefined;
    return {
      hubId: record.hubId,
      accessToken: () => this.token(tenantId, false),
      renewedAccessToken: () => this.token(tenantId, true),
    };
  }

  async dealStages(tenantId: string): Promise<DealStageMapping> {
    return (await this.read(tenantId))?.deals ?? defaultDealStageMapping;
  }

  async setDealStages(principal: Principal, deals: DealStageMapping, correlationId: string): Promise<DealStageMapping> {
    let changed = false;
    const updated = await tenantScoped(this.options.collections.connections, principal.tenantId).update(connectionId, (current) => {
      changed = JSON.stringify(current.deals ?? null) !== JSON.stringify(deals);
      return changed ? { ...current, deals } : undefined;
    });
    if (!updated) throw new HubSpotNotConnectedError(principal.tenantId);
    if (changed) {
      await this.options.audit.append(principal.tenantId, {
        actor: { type: 'user', id: principal.userId, name: principal.name },
        type: 'integration.settings_changed',
        correlationId,
        idempotencyKey: changeKey('integration.settings_changed', 'hubspot', deals, updated._etag ?? this.options.clock.now().toISOString()),
        payload: { provider: 'hubspot', deals },
      });
    }
    return updated.deals;
  }

  /** The tenant that connected a portal; webhooks name the portal, never the tenant. */
  async tenantForPortal(hubId: number): Promise<string | undefined> {
    const known = this.portalTenants.get(hubId);
    if (known) return known;
    const [record] = await this.connectedRecords('c.hubId = @hubId AND NOT IS_DEFINED(c.revokedAt)', [{ name: '@hubId', value: hubId }]);
    if (record) this.portalTenants.set(hubId, record.tenantId);
    return record?.tenantId;
  }

  async connectedTenants(): Promise<string[]> {
    return (await this.connectedRecords('NOT IS_DEFINED(c.revokedAt)', [])).map((record) => record.tenantId);
  }

  private async token(tenantId: string, renew: boolean): Promise<string> {
    const cached = this.tokenCache.get(tenantId);
    if (!renew && cached && cached.expiresAt - refreshBeforeExpiryMs > this.options.clock.now().getTime()) return cached.accessToken;
    // One renewal per tenant at a time: concurrent 401s share it instead of each spending a grant.
    const running = this.renewals.get(tenantId);
    if (running) return running;
    const renewal = this.loadOrRenew(tenantId, renew).finally(() => this.renewals.delete(tenantId));
    this.renewals.set(tenantId, renewal);
    return renewal;
  }

  private async loadOrRenew(tenantId: string, renew: boolean): Promise<string> {
    const { collections, clock, audit } = this.options;
    const record = await this.read(tenantId);
    if (!record || record.revokedAt) throw new HubSpotNotConnectedError(tenantId);
    const key = await this.tokenKey();
    const tokens = openTokens(key, tenantId, record.tokens);
    const expiresAt = Date.parse(record.accessTokenExpiresAt);
    if (!renew && expiresAt - refreshBeforeExpiryMs > clock.now().getTime()) {
      this.tokenCache.set(tenantId, { accessToken: tokens.accessToken, expiresAt });
      return tokens.accessToken;
    }
    let granted: GrantedTokens;
    try {
      granted = await this.oauth.refresh(tokens.refreshToken);
    } catch (error) {
      if (error instanceof HubSpotOAuthError && error.revoked) {
        const revokedAt = clock.now().toISOString();
        await collections.connections.update(record.pk, record.id, (current) => ({ ...current, revokedAt }));
        this.portalTenants.delete(record.hubId);
        await audit.append(tenantId, {
          actor: { type: 'system', id: 'hubspot' },
          type: 'integration.revoked',
          correlationId: `hubspot-refresh:${tenantId}`,
          idempotencyKey: `integration.revoked:hubspot:${record.connectedAt}`,
          payload: { provider: 'hubspot', hubId: record.hubId, reason: error.code },
        });
      }
      throw error;
    }
    const renewedExpiry = this.expiryOf(granted);
    await collections.connections.update(record.pk, record.id, (current) => ({
      ...current,
      tokens: sealTokens(key, tenantId, granted),
      accessTokenExpiresAt: renewedExpiry,
      refreshedAt: clock.now().toISOString(),
      scopes: granted.scopes,
    }));
    this.tokenCache.set(tenantId, { accessToken: granted.accessToken, expiresAt: Date.parse(renewedExpiry) });
    return granted.accessToken;
  }

  private read(tenantId: string): Promise<HubSpotConnectionRecord | undefined> {
    return tenantScoped(this.options.collections.connections, tenantId).read(connectionId);
  }

  /** Across tenants: the few places that start from a portal or from "everyone connected" (webhooks, backlog replay). */
  private async connectedRecords(where: string, parameters: { name: string; value: number }[]): Promise<HubSpotConnectionRecord[]> {
    const { resources } = await this.options.collections.connections.container.items
      .query<HubSpotConnectionRecord>({ query: `SELECT * FROM c WHERE c.docType = 'hubspotConnection' AND ${where}`, parameters })
      .fetchAll();
    return resources;
  }

  private tokenKey(): Promise<Buffer> {
    return requireKey(this.options.secrets, this.options.config.secretNames.tokenKey);
  }

  private expiryOf(granted: GrantedTokens): string {
    return new Date(this.options.clock.now().getTime() + granted.expiresInSeconds * 1000).toISOString();
  }
}

function missingScopes(granted: string[]): string[] {
  return hubSpotScopes.filter((scope) => !granted.includes(scope));
}

import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock/clock';
import type { CrmProvider } from '../crm/crm-provider';
import { requireSecret, type SecretReader } from '../integrations/secrets';
import type { Store } from '../store/store';
import { hubSpotAppConfigSchema, type HubSpotAppConfig, type HubSpotAppSettings } from './config';
import { HubSpotConnections } from './connections';
import { HubSpotCrm } from './hubspot-crm';
import { HubSpotLinks } from './links';
import { MirroredCrm } from './mirrored-crm';
import { HubSpotRateLimiter, type HubSpotLimits } from './rate-limit';
import { hubSpotCollections, type HubSpotCollections } from './records';
import { HubSpotRequests } from './requests';
import { SeenSignatures } from './webhook-signature';

export interface HubSpotIntegrationOptions {
  settings: HubSpotAppSettings;
  secrets: SecretReader;
  store: Store;
  audit: AuditLog;
  clock: Clock;
  limits?: HubSpotLimits;
  /** Attempts per HubSpot call, the first included (default 4). */
  maxAttempts?: number;
  fetchImpl?: typeof fetch;
}

/** ASEP's HubSpot app in one deployment: connections, per-tenant CRM adapters, the mirror and webhook bookkeeping. */
export class HubSpotIntegration {
  readonly config: HubSpotAppConfig;
  readonly collections: HubSpotCollections;
  readonly connections: HubSpotConnections;
  readonly seenSignatures = new SeenSignatures();
  // One limiter per process, shared by every call to a portal.
  private readonly limiter: HubSpotRateLimiter;

  constructor(private readonly options: HubSpotIntegrationOptions) {
    this.config = hubSpotAppConfigSchema.parse(options.settings);
    this.collections = hubSpotCollections(options.store.database);
    this.limiter = new HubSpotRateLimiter(options.limits);
    this.connections = new HubSpotConnections({
      config: this.config,
      collections: this.collections,
      secrets: options.secrets,
      clock: options.clock,
      audit: options.audit,
      fetchImpl: options.fetchImpl,
    });
  }

  /** The tenant's HubSpot adapter, or undefined when the tenant has not connected (or must reconnect). */
  async crmFor(tenantId: string): Promise<HubSpotCrm | undefined> {
    const access = await this.connections.access(tenantId);
    if (!access) return undefined;
    const requests = new HubSpotRequests(access, {
      basePath: this.config.apiBaseUrl,
      timeoutMs: this.config.requestTimeoutMs,
      limiter: this.limiter,
      maxAttempts: this.options.maxAttempts,
    });
    return new HubSpotCrm(requests, this.linksFor(tenantId), () => this.connections.dealStages(tenantId));
  }

  /** The tenant's map of ASEP objects to HubSpot objects. */
  linksFor(tenantId: string): HubSpotLinks {
    return new HubSpotLinks(this.collections.links, tenantId, this.options.clock);
  }

  /** Wraps ASEP's internal CRM so connected tenants get every write mirrored to HubSpot. */
  mirror(internal: CrmProvider): MirroredCrm {
    return new MirroredCrm({
      internal,
      hubSpotFor: (tenantId) => this.crmFor(tenantId),
      collections: this.collections,
      audit: this.options.audit,
      clock: this.options.clock,
    });
  }

  /** The app's client secret: it signs webhooks and authenticates the token exchange. */
  clientSecret(): Promise<string> {
    return requireSecret(this.options.secrets, this.config.secretNames.clientSecret);
  }
}

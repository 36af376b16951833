import { sha256 } from '@asep/shared/audit/chain';
import { tenantPartition } from '@asep/shared/tenancy/partitioning';
import type { Clock } from '../clock/clock';
import type { Store } from '../store/store';
import type { CrmContact, CrmDealInput, CrmEngagement, CrmProvider, CrmRef } from './crm-provider';

/**
 * ASEP's own revenue system of record: contacts, companies and engagements kept beside the deals, for
 * tenants that have not connected a CRM and for the local suite. Every write is keyed by a natural id,
 * so repeating a call never creates a second object.
 */
export class InternalCrm implements CrmProvider {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Read when a link is made: the local suite learns its port only once it listens. */
    private readonly consoleUrl: () => string,
  ) {}

  async upsertContact(tenantId: string, contact: CrmContact): Promise<CrmRef> {
    const companyId = companyIdOf(contact.domain);
    const contactId = `contact-${sha256(contact.email).slice(0, 24)}`;
    const owner = (await this.store.crmObjects.read(tenantPartition(tenantId), companyId))?.properties.owner;
    await this.put(
      tenantId,
      companyId,
      'company',
      { domain: contact.domain, name: contact.company ?? contact.domain, ...(owner ? { owner } : {}) },
      [],
    );
    await this.put(tenantId, contactId, 'contact', { ...contact }, [{ type: 'company', id: companyId }]);
    return { system: 'internal', id: contactId };
  }

  async upsertDeal(_tenantId: string, deal: CrmDealInput): Promise<CrmRef> {
    // Deals themselves are ASEP's own records; the internal CRM only links to them.
    return { system: 'internal', id: deal.dealId, url: `${this.consoleUrl()}#/deals/${deal.dealId}` };
  }

  async logEngagement(tenantId: string, engagement: CrmEngagement): Promise<CrmRef> {
    const id = `${engagement.type}-${sha256(engagement.engagementId).slice(0, 24)}`;
    const associations = [
      { type: 'contact', id: `contact-${sha256(engagement.contactEmail).slice(0, 24)}` },
      ...(engagement.dealId ? [{ type: 'deal', id: engagement.dealId }] : []),
    ];
    await this.put(tenantId, id, engagement.type, { subject: engagement.subject, body: engagement.body, at: engagement.at }, associations);
    return { system: 'internal', id };
  }

  async accountOwner(tenantId: string, domain: string): Promise<string | undefined> {
    const company = await this.store.crmObjects.read(tenantPartition(tenantId), companyIdOf(domain.toLowerCase()));
    return typeof company?.properties.owner === 'string' ? company.properties.owner : undefined;
  }

  /** Names the rep (by mailbox) who owns the account at `domain`; campaigns assigning by account owner follow it. */
  async setAccountOwner(tenantId: string, domain: string, owner: string, name?: string): Promise<void> {
    const companyId = companyIdOf(domain.toLowerCase());
    const existing = await this.store.crmObjects.read(tenantPartition(tenantId), companyId);
    await this.put(
      tenantId,
      companyId,
      'company',
      { ...existing?.properties, domain, name: name ?? existing?.properties.name ?? domain, owner: owner.toLowerCase() },
      [],
    );
  }

  private async put(
    tenantId: string,
    id: string,
    objectType: CrmObjectType,
    properties: Record<string, unknown>,
    associations: { type: string; id: string }[],
  ) {
    await this.store.crmObjects.upsert({
      id,
      pk: tenantPartition(tenantId),
      tenantId,
      objectType,
      properties,
      associations,
      createdAt: this.clock.now().toISOString(),
    });
  }
}

const companyIdOf = (domain: string) => `company-${sha256(domain).slice(0, 24)}`;

type CrmObjectType = 'contact' | 'company' | 'note' | 'task' | 'meeting' | 'email';

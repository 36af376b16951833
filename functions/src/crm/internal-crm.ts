import { sha256 } from '@asep/shared/audit/chain';
import type { Clock } from '../clock/clock';
import { queryTouches } from '../mail/touches';
import type { Store } from '../store/store';
import { ConflictError } from '../store/documents';
import type { CrmAccountHistory, CrmAccountOf, CrmContact, CrmDealInput, CrmEngagement, CrmNewDeal, CrmProvider, CrmRef } from './crm-provider';
import type { DealRecord } from './records';
import { ownedByReps } from './crm-provider';

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

  async upsertDeal(_tenantId: string, deal: CrmDealInput): Promise<CrmRef> {
    // Deals themselves are ASEP's own records; the internal CRM only links to them.
    return this.dealLink(deal.dealId);
  }

  async logEngagement(tenantId: string, engagement: CrmEngagement): Promise<CrmRef> {
    const id = engagementIdOf(engagement.type, engagement.engagementId);
    // The touch is the record of that email already (accountHistory reads it): nothing more to write.
    if (engagement.sentTouch) return { system: 'internal', id };
    await this.store.forTenant(tenantId).crmObjects.upsert(this.engagementObject(engagement));
    return { system: 'internal', id };
  }

  /** The contact, its company, the deal and its evidence note share the tenant's partition: one transactional batch. */
  async createDeal(tenantId: string, { contact, evidence, record }: CrmNewDeal): Promise<DealRecord> {
    const records = this.store.forTenant(tenantId);
    const objects = [...(await this.contactObjects(tenantId, contact)), this.engagementObject(evidence)];
    try {
      return await records.deals.createWith(
        { ...record, crm: this.dealLink(record.id) },
        objects.map((object) => ({ upsert: records.crmObjects.stored(object) })),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return (await records.deals.read(record.id))!;
    }
  }

  async accountHistory(tenantId: string, contact: { email: string; domain: string }): Promise<CrmAccountHistory> {
    const ids = [companyIdOf(contact.domain), contactIdOf(contact.email)];
    const [company, logged, sent, deals] = await Promise.all([
      this.store.forTenant(tenantId).crmObjects.read(ids[0]!),
      this.store.crmObjects.query(
        tenantId,
        `c.objectType IN ('note', 'email', 'meeting') AND EXISTS(SELECT VALUE a FROM a IN c.associations WHERE a.id IN (@company, @contact))`,
        [
          { name: '@company', value: ids[0]! },
          { name: '@contact', value: ids[1]! },
        ],
      ),
      queryTouches(this.store, tenantId, "c.status = 'sent' AND (c.to = @email OR ENDSWITH(c.to, @atDomain))", [
        { name: '@email', value: contact.email.toLowerCase() },
        { name: '@atDomain', value: `@${contact.domain.toLowerCase()}` },
      ]),
      this.store.deals.query(tenantId, 'c.companyDomain = @domain', [{ name: '@domain', value: contact.domain }]),
    ]);
    // Emails ASEP sent are their touches; ones logged before that are kept under the same id, and counted once.
    const touches = sent.map((touch) => ({
      id: engagementIdOf('email', touch.id),
      objectType: 'email',
      properties: { subject: touch.subject, at: touch.at } as Record<string, unknown>,
      createdAt: touch.at,
    }));
    const engagements = [...logged, ...touches.filter((touch) => !logged.some((record) => record.id === touch.id))];
    const at = (record: { properties: Record<string, unknown>; createdAt: string }) => String(record.properties.at ?? record.createdAt);
    const newestFirst = engagements.sort((a, b) => at(b).localeCompare(at(a)));
    const lastActivity = newestFirst.find((record) => record.objectType !== 'note');
    const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
    return {
      company: company && {
        id: company.id,
        properties: Object.fromEntries(
          Object.entries(company.properties).flatMap(([name, value]) => (text(value) === undefined ? [] : [[name, text(value)!]])),
        ),
      },
      deals: deals.map((deal) => ({
        id: deal.id,
        name: deal.name,
        stage: deal.stage,
        amount: deal.amount,
        at: deal.updatedAt,
        url: `${this.consoleUrl()}#/deals/${deal.id}`,
      })),
      notes: newestFirst
        .filter((record) => record.objectType === 'note')
        .map((note) => ({ id: note.id, body: text(note.properties.body) ?? text(note.properties.subject) ?? '', at: at(note) })),
      lastActivity: lastActivity && {
        id: lastActivity.id,
        type: lastActivity.objectType,
        subject: text(lastActivity.properties.subject) ?? '',
        at: at(lastActivity),
      },
    };
  }

  /** Owners named on ASEP's own record of each account: one read per domain. */
  async accountOwners(tenantId: string, contacts: readonly CrmAccountOf[], reps: readonly string[]): Promise<Map<string, string>> {
    const domains = [...new Set(contacts.map((contact) => contact.domain.toLowerCase()))];
    const owners = new Map(
      await Promise.all(
        domains.map(async (domain) => {
          const company = await this.store.forTenant(tenantId).crmObjects.read(companyIdOf(domain));
          return [domain, typeof company?.properties.owner === 'string' ? company.properties.owner.toLowerCase() : undefined] as const;
        }),
      ),
    );
    return ownedByReps(contacts, (contact) => owners.get(contact.domain.toLowerCase()), reps);
  }

  /** Names the rep (by mailbox) who owns the account at `domain`; campaigns assigning by account owner follow it. */
  async setAccountOwner(tenantId: string, domain: string, owner: string, name?: string): Promise<void> {
    await this.describeAccount(tenantId, domain, { owner: owner.toLowerCase(), ...(name ? { name } : {}) });
  }

  /** Records what the tenant knows of the account at `domain` (industry, size, city…), keeping what it held already. */
  async describeAccount(tenantId: string, domain: string, properties: Record<string, string>): Promise<void> {
    const companyId = companyIdOf(domain.toLowerCase());
    const existing = await this.store.forTenant(tenantId).crmObjects.read(companyId);
    await this.store
      .forTenant(tenantId)
      .crmObjects.upsert(this.object(companyId, 'company', { name: domain, ...existing?.properties, ...properties, domain }, []));
  }

  /** The contact and its company. What the account already holds (its owner, its industry and size) stays: a contact only names the company. */
  private async contactObjects(tenantId: string, contact: CrmContact) {
    const companyId = companyIdOf(contact.domain);
    const known = (await this.store.forTenant(tenantId).crmObjects.read(companyId))?.properties;
    return [
      this.object(companyId, 'company', { ...known, domain: contact.domain, name: contact.company ?? known?.name ?? contact.domain }, []),
      this.object(contactIdOf(contact.email), 'contact', { ...contact }, [{ type: 'company', id: companyId }]),
    ];
  }

  private engagementObject(engagement: CrmEngagement) {
    const associations = [
      { type: 'contact', id: contactIdOf(engagement.contactEmail) },
      ...(engagement.dealId ? [{ type: 'deal', id: engagement.dealId }] : []),
    ];
    const properties = { subject: engagement.subject, body: engagement.body, at: engagement.at };
    return this.object(engagementIdOf(engagement.type, engagement.engagementId), engagement.type, properties, associations);
  }

  private dealLink(dealId: string): CrmRef {
    return { system: 'internal', id: dealId, url: `${this.consoleUrl()}#/deals/${dealId}` };
  }

  private object(id: string, objectType: CrmObjectType, properties: Record<string, unknown>, associations: { type: string; id: string }[]) {
    return { id, objectType, properties, associations, createdAt: this.clock.now().toISOString() };
  }
}

const companyIdOf = (domain: string) => `company-${sha256(domain).slice(0, 24)}`;
const contactIdOf = (email: string) => `contact-${sha256(email).slice(0, 24)}`;
const engagementIdOf = (type: CrmEngagement['type'], engagementId: string) => `${type}-${sha256(engagementId).slice(0, 24)}`;

type CrmObjectType = 'contact' | 'company' | 'note' | 'task' | 'meeting' | 'email';

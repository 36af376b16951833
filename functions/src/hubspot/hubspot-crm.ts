import { AssociationTypes } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as V4Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import {
  AssociationSpecAssociationCategoryEnum as ObjectCategory,
  FilterOperatorEnum,
  type Filter,
  type PublicAssociationsForObject,
  type SimplePublicObject,
} from '@hubspot/api-client/lib/codegen/crm/objects';
import { convert } from 'html-to-text';
import { emailDomain } from '@asep/shared/prospects/prospect';
import type { CrmAccountHistory, CrmContact, CrmDealInput, CrmEngagement, CrmRef } from '../crm/crm-provider';
import { asepStageFor, hubSpotStageFor, type DealStageMapping } from './deal-stages';
import type { HubSpotLinks } from './links';
import type { HubSpotLinkRecord, LinkedObject } from './records';
import { HubSpotRequestError, type HubSpotRequests } from './requests';

/** HubSpot's batch endpoints take at most 100 inputs. */
export const batchSize = 100;

/**
 * How ASEP marks a suppressed contact in HubSpot: one boolean contact property, set and never cleared by ASEP. It is
 * the least invasive choice: it does not touch HubSpot's own subscription status (which would stop the portal's
 * marketing email too), needs no lists scope, and sales can filter or build a list on it. The property must exist in
 * the portal (type bool, field type booleancheckbox, group contactinformation); see README.md here.
 */
export const suppressionProperty = 'asep_do_not_contact';

/** Who owns a contact or company in HubSpot: an owner id, read through the CRM Owners API. */
const ownerProperty = 'hubspot_owner_id';

const engagementKinds = {
  note: {
    objectType: 'notes',
    toContact: AssociationTypes.noteToContact,
    toDeal: AssociationTypes.noteToDeal,
    identifying: 'hs_note_body',
    properties: (engagement: CrmEngagement) => ({
      hs_note_body: `<p><strong>${html(engagement.subject)}</strong></p><p>${html(engagement.body)}</p>`,
    }),
  },
  email: {
    objectType: 'emails',
    toContact: AssociationTypes.emailToContact,
    toDeal: AssociationTypes.emailToDeal,
    identifying: 'hs_email_subject',
    properties: (engagement: CrmEngagement) => ({
      hs_email_direction: 'EMAIL',
      hs_email_status: 'SENT',
      hs_email_subject: engagement.subject,
      hs_email_text: engagement.body,
    }),
  },
  meeting: {
    objectType: 'meetings',
    toContact: AssociationTypes.meetingToContact,
    toDeal: AssociationTypes.meetingToDeal,
    identifying: 'hs_meeting_title',
    properties: (engagement: CrmEngagement) => ({
      hs_meeting_title: engagement.subject,
      hs_meeting_body: engagement.body,
      hs_meeting_start_time: engagement.at,
      hs_meeting_outcome: 'SCHEDULED',
    }),
  },
  task: {
    objectType: 'tasks',
    toContact: AssociationTypes.taskToContact,
    toDeal: AssociationTypes.taskToDeal,
    identifying: 'hs_task_subject',
    properties: (engagement: CrmEngagement) => ({
      hs_task_subject: engagement.subject,
      hs_task_body: engagement.body,
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'TODO',
    }),
  },
} as const;

/**
 * ASEP's CRM writes for one tenant's HubSpot portal. Every write is keyed by an ASEP key and remembered in the link
 * map, so repeating a step updates what exists instead of creating a twin: contacts are upserted by email, companies
 * are found by domain before one is created (HubSpot does not dedupe API-created companies), deals and engagements
 * are created once per ASEP id, and a create whose answer was lost is looked up before it is sent again.
 */
export class HubSpotCrm {
  constructor(
    private readonly requests: HubSpotRequests,
    private readonly links: HubSpotLinks,
    private readonly dealStages: () => Promise<DealStageMapping>,
  ) {}

  async upsertContact(contact: CrmContact): Promise<CrmRef> {
    const ids = await this.upsertContacts([contact]);
    return { system: 'hubspot', id: ids.get(contact.email.toLowerCase())! };
  }

  /** Contacts by email in batches of 100, each associated with its company (found or created by domain). */
  async upsertContacts(contacts: CrmContact[]): Promise<Map<string, string>> {
    const byEmail = new Map(contacts.map((contact) => [contact.email.toLowerCase(), contact]));
    const contactIds = new Map<string, string>();
    for (const chunk of chunked([...byEmail.values()])) {
      const inputs = chunk.map((contact) => ({ id: contact.email, idProperty: 'email', properties: contactProperties(contact) }));
      const upserted = await this.requests.send('contacts.batchUpsert', 'write', (client) =>
        client.crm.objects.batchApi.upsert('contacts', { inputs }),
      );
      for (const result of upserted.results) contactIds.set((result.properties.email ?? '').toLowerCase(), result.id);
    }
    const missing = [...byEmail.keys()].filter((email) => !contactIds.has(email));
    if (missing.length > 0)
      throw new HubSpotRequestError('contacts.batchUpsert', undefined, 'INCOMPLETE_BATCH', true, `no result for ${missing.length} contact(s)`);

    const companyIds = new Map<string, string>();
    for (const contact of byEmail.values()) {
      const domain = contact.domain.toLowerCase();
      if (!companyIds.has(domain)) companyIds.set(domain, await this.ensureCompany(domain, contact.company ?? domain));
    }
    const toAssociate: { email: string; contactId: string; companyId: string }[] = [];
    for (const [email, contact] of byEmail) {
      const companyId = companyIds.get(contact.domain.toLowerCase())!;
      const link = await this.links.get('contact', email);
      if (link?.hubSpotId !== contactIds.get(email) || link?.associatedCompanyId !== companyId)
        toAssociate.push({ email, contactId: contactIds.get(email)!, companyId });
    }
    for (const chunk of chunked(toAssociate)) {
      const inputs = chunk.map(({ contactId, companyId }) => ({
        _from: { id: contactId },
        to: { id: companyId },
        types: [{ associationCategory: V4Category.HubspotDefined, associationTypeId: AssociationTypes.contactToCompany }],
      }));
      await this.requests.send('associations.contactsToCompanies', 'write', (client) =>
        client.crm.associations.v4.batchApi.create('contacts', 'companies', { inputs }),
      );
      for (const { email, contactId, companyId } of chunk) await this.links.link('contact', email, contactId, { associatedCompanyId: companyId });
    }
    return contactIds;
  }

  /** The deal keyed by ASEP's deal id, in the tenant's pipeline and mapped stage, with its contact and company. */
  async upsertDeal(deal: CrmDealInput): Promise<CrmRef> {
    const stages = await this.dealStages();
    const properties: Record<string, string> = {
      dealname: deal.name,
      pipeline: stages.pipelineId,
      dealstage: hubSpotStageFor(stages, deal.stage),
      ...(deal.amount !== undefined ? { amount: String(deal.amount) } : {}),
    };
    let link = await this.links.get('deal', deal.dealId);
    if (link?.hubSpotId) {
      const existingId = link.hubSpotId;
      try {
        await this.requests.send('deals.update', 'write', (client) => client.crm.objects.basicApi.update('deals', existingId, { properties }));
        return { system: 'hubspot', id: existingId };
      } catch (error) {
        if (!(error instanceof HubSpotRequestError && error.status === 404)) throw error;
        // Someone deleted the deal in HubSpot; ASEP's deal lives on, so the mirror gets a new one.
        await this.links.forget('deal', deal.dealId);
        link = undefined;
      }
    }
    const contactId = await this.ensureContact(deal.contactEmail, deal.companyDomain);
    const companyId = await this.ensureCompany(deal.companyDomain, deal.companyDomain);
    const id = await this.createOnce('deal', deal.dealId, link, {
      lookupFirst: false,
      lookup: () => this.searchOne('deals', [equals('dealname', deal.name), equals('pipeline', stages.pipelineId)], ['dealname']),
      create: () =>
        this.create('deals', properties, [
          associationTo(contactId, AssociationTypes.dealToContact),
          associationTo(companyId, AssociationTypes.dealToCompany),
        ]),
    });
    return { system: 'hubspot', id };
  }

  /** A note, email, meeting or task on the contact's timeline (and the deal's, when the deal is mirrored). */
  async logEngagement(engagement: CrmEngagement): Promise<CrmRef> {
    const link = await this.links.get('engagement', engagement.engagementId);
    if (link?.hubSpotId) return { system: 'hubspot', id: link.hubSpotId };
    const kind = engagementKinds[engagement.type];
    const contactId = await this.ensureContact(engagement.contactEmail, emailDomain(engagement.contactEmail));
    const dealId = engagement.dealId ? (await this.links.get('deal', engagement.dealId))?.hubSpotId : undefined;
    const at = Date.parse(engagement.at);
    if (Number.isNaN(at)) throw new Error(`Engagement ${engagement.engagementId} has no valid time ("${engagement.at}").`);
    const properties: Record<string, string> = { hs_timestamp: String(at), ...kind.properties(engagement) };
    const id = await this.createOnce('engagement', engagement.engagementId, link, {
      lookupFirst: false,
      lookup: async () => {
        const candidates = await this.search(kind.objectType, [equals('hs_timestamp', properties.hs_timestamp!)], [kind.identifying]);
        return candidates.find((candidate) => candidate.properties[kind.identifying] === properties[kind.identifying]);
      },
      create: () =>
        this.create(kind.objectType, properties, [associationTo(contactId, kind.toContact), ...(dealId ? [associationTo(dealId, kind.toDeal)] : [])]),
    });
    return { system: 'hubspot', id };
  }

  /** Flags the contact as do-not-contact (creating it if HubSpot does not know it yet). */
  async markSuppressed(email: string): Promise<void> {
    await this.requests.send('contacts.batchUpsert', 'write', (client) =>
      client.crm.objects.batchApi.upsert('contacts', {
        inputs: [{ id: email, idProperty: 'email', properties: { email, [suppressionProperty]: 'true' } }],
      }),
    );
  }

  /**
   * What the portal knows of an account, for research: the company's own properties, and the deals, notes and last
   * email or meeting on the company or the contact, wherever people recorded them. Reads only: one company search, the
   * company's and the contact's associations, then one batch read per kind of record (at most 100 of each).
   */
  async accountHistory(contact: { email: string; domain: string }): Promise<CrmAccountHistory> {
    const company = await this.searchOne('companies', [equals('domain', contact.domain)], [...companyResearchProperties]);
    const associated = [...researchedKinds.map(({ objectType }) => objectType), 'deals'];
    const [companyLinks, contactLinks] = await Promise.all([
      company ? this.associationsOf('companies', company.id, associated) : undefined,
      this.associationsOf('contacts', contact.email, associated, 'email'),
    ]);
    const idsOf = (objectType: string) => [...new Set([...(companyLinks?.linked[objectType] ?? []), ...(contactLinks?.linked[objectType] ?? [])])];
    const recordUrl = (typeId: string, id: string) => `https://app.hubspot.com/contacts/${this.requests.hubId}/record/${typeId}/${id}`;
    const accountUrl = company ? recordUrl('0-2', company.id) : contactLinks && recordUrl('0-1', contactLinks.id);

    const [deals, ...engagements] = await Promise.all([
      this.readAll('deals', idsOf('deals'), ['dealname', 'dealstage', 'amount', 'closedate', 'hs_lastmodifieddate']),
      ...researchedKinds.map(({ objectType, text }) => this.readAll(objectType, idsOf(objectType), [text, 'hs_timestamp'])),
    ]);
    const stages = deals.length > 0 ? await this.dealStages() : undefined;
    const timeOf = (record: SimplePublicObject) => instantOf(record.properties.hs_timestamp ?? record.updatedAt.toISOString());
    const dated = researchedKinds
      .flatMap(({ kind, text }, index) =>
        engagements[index]!.map((record) => ({ kind, id: record.id, text: record.properties[text] ?? '', at: timeOf(record) })),
      )
      .sort((a, b) => b.at.localeCompare(a.at));
    const lastActivity = dated.find((record) => record.kind !== 'note');
    return {
      company: company && {
        id: company.id,
        url: accountUrl,
        properties: Object.fromEntries(
          companyResearchProperties.flatMap((name) => (company.properties[name] ? [[name, company.properties[name]]] : [])),
        ),
      },
      deals: deals.map((deal) => ({
        id: deal.id,
        name: deal.properties.dealname ?? '',
        stage: (stages && asepStageFor(stages, deal.properties.dealstage ?? '')) ?? deal.properties.dealstage ?? '',
        ...(deal.properties.amount ? { amount: Number(deal.properties.amount) } : {}),
        at: instantOf(deal.properties.closedate ?? deal.properties.hs_lastmodifieddate ?? deal.updatedAt.toISOString()),
        url: recordUrl('0-3', deal.id),
      })),
      notes: dated
        .filter((record) => record.kind === 'note')
        .map((note) => ({ id: note.id, body: plainText(note.text), at: note.at, ...(accountUrl ? { url: accountUrl } : {}) })),
      lastActivity: lastActivity && {
        id: lastActivity.id,
        type: lastActivity.kind,
        subject: lastActivity.text,
        at: lastActivity.at,
        ...(accountUrl ? { url: accountUrl } : {}),
      },
    };
  }

  /**
   * The e-mail of the HubSpot owner of each contact, keyed by the contact's lowercased e-mail: the contact's own
   * `hubspot_owner_id`, else its company's (found by domain). Contacts without either are absent. Requests: one batch
   * read per 100 contacts, one company search per domain still needed, one owner read per distinct owner.
   */
  async ownerEmails(contacts: readonly { email: string; domain: string }[]): Promise<Map<string, string>> {
    const emails = [...new Set(contacts.map((contact) => contact.email.toLowerCase()))];
    const ownerIds = new Map<string, string>();
    for (const chunk of chunked(emails)) {
      const read = await this.requests.send('contacts.batchRead', 'read', (client) =>
        client.crm.objects.batchApi.read('contacts', {
          inputs: chunk.map((id) => ({ id })),
          idProperty: 'email',
          properties: ['email', ownerProperty],
          propertiesWithHistory: [],
        }),
      );
      for (const record of read.results) {
        const owner = record.properties[ownerProperty];
        if (owner) ownerIds.set((record.properties.email ?? '').toLowerCase(), owner);
      }
    }
    const companyOwners = new Map<string, string | undefined>();
    for (const contact of contacts) {
      const email = contact.email.toLowerCase();
      if (ownerIds.has(email)) continue;
      const domain = contact.domain.toLowerCase();
      if (!companyOwners.has(domain))
        companyOwners.set(
          domain,
          (await this.searchOne('companies', [equals('domain', domain)], [ownerProperty]))?.properties[ownerProperty] ?? undefined,
        );
      const owner = companyOwners.get(domain);
      if (owner) ownerIds.set(email, owner);
    }
    const ownerEmail = new Map<string, Promise<string | undefined>>();
    const emailOf = (ownerId: string) => {
      if (!ownerEmail.has(ownerId)) ownerEmail.set(ownerId, this.ownerEmail(ownerId));
      return ownerEmail.get(ownerId)!;
    };
    const owned = new Map<string, string>();
    for (const [email, ownerId] of ownerIds) {
      const address = await emailOf(ownerId);
      if (address) owned.set(email, address.toLowerCase());
    }
    return owned;
  }

  /** An owner's e-mail (CRM Owners API); undefined for an owner HubSpot no longer knows or one without an e-mail. */
  private async ownerEmail(ownerId: string): Promise<string | undefined> {
    if (!/^\d+$/.test(ownerId)) return undefined;
    try {
      const owner = await this.requests.send('owners.get', 'read', (client) => client.crm.owners.ownersApi.getById(Number(ownerId), 'id', false));
      return owner.email || undefined;
    } catch (error) {
      if (error instanceof HubSpotRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** The email of a HubSpot contact (webhooks name contacts by HubSpot id only). */
  async contactEmail(hubSpotId: string): Promise<string | undefined> {
    const linked = await this.links.findByHubSpotId('contact', hubSpotId);
    if (linked) return linked.key;
    try {
      const contact = await this.requests.send('contacts.get', 'read', (client) =>
        client.crm.objects.basicApi.getById('contacts', hubSpotId, ['email']),
      );
      return contact.properties.email ?? undefined;
    } catch (error) {
      if (error instanceof HubSpotRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async ensureContact(email: string, domain: string): Promise<string> {
    const link = await this.links.get('contact', email);
    if (link?.hubSpotId) return link.hubSpotId;
    return (await this.upsertContacts([{ email, domain }])).get(email.toLowerCase())!;
  }

  private async ensureCompany(domain: string, name: string): Promise<string> {
    const link = await this.links.get('company', domain);
    return this.createOnce('company', domain, link, {
      lookupFirst: true,
      lookup: () => this.searchOne('companies', [equals('domain', domain)], ['domain']),
      create: () => this.create('companies', { domain, name }, []),
    });
  }

  /**
   * Creates the HubSpot object for an ASEP key at most once. `lookupFirst` searches HubSpot before every create (for
   * objects people also create by hand, like companies); otherwise HubSpot is searched only after a create whose
   * answer was lost, found by `pendingSince` on the link.
   */
  private async createOnce(
    object: LinkedObject,
    key: string,
    link: HubSpotLinkRecord | undefined,
    how: { lookupFirst: boolean; lookup: () => Promise<SimplePublicObject | undefined>; create: () => Promise<SimplePublicObject> },
  ): Promise<string> {
    if (link?.hubSpotId) return link.hubSpotId;
    if (how.lookupFirst || link?.pendingSince) {
      const found = await how.lookup();
      if (found) return (await this.links.link(object, key, found.id)).hubSpotId!;
    }
    await this.links.markPending(object, key);
    const created = await how.create();
    await this.links.link(object, key, created.id);
    return created.id;
  }

  /** Ids of the records of each type associated with one object; undefined when HubSpot does not know the object. */
  private async associationsOf(
    objectType: string,
    id: string,
    toTypes: string[],
    idProperty?: string,
  ): Promise<{ id: string; linked: Record<string, string[]> } | undefined> {
    try {
      const found = await this.requests.send(`${objectType}.get`, 'read', (client) =>
        client.crm.objects.basicApi.getById(objectType, id, ['hs_object_id'], undefined, toTypes, false, idProperty),
      );
      return {
        id: found.id,
        linked: Object.fromEntries(toTypes.map((toType) => [toType, (found.associations?.[toType]?.results ?? []).map((link) => link.id)])),
      };
    } catch (error) {
      if (error instanceof HubSpotRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** The newest `batchSize` of the records named (HubSpot ids grow with time), with the properties asked for. */
  private async readAll(objectType: string, ids: string[], properties: string[]): Promise<SimplePublicObject[]> {
    if (ids.length === 0) return [];
    const newest = ids.sort((a, b) => Number(b) - Number(a)).slice(0, batchSize);
    const read = await this.requests.send(`${objectType}.batchRead`, 'read', (client) =>
      client.crm.objects.batchApi.read(objectType, { inputs: newest.map((id) => ({ id })), properties, propertiesWithHistory: [] }),
    );
    return read.results;
  }

  private create(objectType: string, properties: Record<string, string>, associations: PublicAssociationsForObject[]): Promise<SimplePublicObject> {
    return this.requests.send(`${objectType}.create`, 'create', (client) =>
      client.crm.objects.basicApi.create(objectType, { properties, associations }),
    );
  }

  private async searchOne(objectType: string, filters: Filter[], properties: string[]): Promise<SimplePublicObject | undefined> {
    return (await this.search(objectType, filters, properties))[0];
  }

  private async search(objectType: string, filters: Filter[], properties: string[]): Promise<SimplePublicObject[]> {
    const page = await this.requests.send(`${objectType}.search`, 'search', (client) =>
      client.crm.objects.searchApi.doSearch(objectType, { filterGroups: [{ filters }], properties, limit: 10, after: '0', sorts: [] }),
    );
    return page.results;
  }
}

/** The company properties research may quote: what the account is, never who in it did what. */
const companyResearchProperties = ['name', 'industry', 'numberofemployees', 'city', 'country', 'description'] as const;

/** Engagements research reads, with the property that says what each was about. */
const researchedKinds = [
  { kind: 'note', objectType: 'notes', text: 'hs_note_body' },
  { kind: 'email', objectType: 'emails', text: 'hs_email_subject' },
  { kind: 'meeting', objectType: 'meetings', text: 'hs_meeting_title' },
] as const;

/** HubSpot reads dates back as ISO text, but a portal may hold what a client wrote: epoch milliseconds. */
function instantOf(value: string): string {
  return new Date(/^\d+$/.test(value) ? Number(value) : value).toISOString();
}

/** A note's rich-text body as the words a reader sees, on one line. */
function plainText(richText: string): string {
  return convert(richText, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }] })
    .replace(/\s+/g, ' ')
    .trim();
}

function contactProperties(contact: CrmContact): Record<string, string> {
  const properties: Record<string, string | undefined> = {
    email: contact.email,
    firstname: contact.firstName,
    lastname: contact.lastName,
    company: contact.company,
    jobtitle: contact.title,
  };
  return Object.fromEntries(Object.entries(properties).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function equals(propertyName: string, value: string): Filter {
  return { propertyName, operator: FilterOperatorEnum.Eq, value };
}

function associationTo(id: string, associationTypeId: number): PublicAssociationsForObject {
  return { to: { id }, types: [{ associationCategory: ObjectCategory.HubspotDefined, associationTypeId }] };
}

function chunked<T>(items: T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += batchSize) chunks.push(items.slice(start, start + batchSize));
  return chunks;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '<br>');
}

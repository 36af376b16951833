import { sha256 } from '@asep/shared/audit/chain';
import type { Campaign } from '@asep/shared/campaigns/campaign';
import { displayName, type Prospect } from '@asep/shared/prospects/prospect';
import type { FactSource, Research, ResearchFact } from '@asep/shared/research/fact';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { ConflictError, Documents, type StoredFields } from '../store/documents';
import { pageStatements } from './page-facts';

/** The facts gathered for one prospect in one sequence, stored once and cited by every step's draft. */
export interface ResearchRecord extends StoredFields, Research {
  docType: 'research';
  prospectId: string;
  campaignId: string;
  instanceId: string;
  createdAt: string;
}

const researchDocuments = (services: Services) => new Documents<ResearchRecord>(services.store.prospects.container, 'research');

/** Pages of the company's site read besides its home page. */
const sitePages = ['/', '/about'];
const maxNotes = 3;
const maxExchanges = 3;

/**
 * Gathers what the tenant may know about a prospect, from non-invasive sources only: the import's fields, the CRM's
 * account (company properties, past deals, notes, last activity), earlier emails with the prospect (subjects and
 * dates, never bodies), and the company's own public site. A source that fails or has nothing is named as a gap and
 * the others still count. Stored under the sequence instance, so a retried activity gathers nothing twice.
 */
export async function researchProspect(
  services: Services,
  input: { tenantId: string; campaign: Campaign; prospect: Prospect; instanceId: string },
): Promise<Research> {
  const { tenantId, campaign, prospect, instanceId } = input;
  const documents = researchDocuments(services);
  const id = `research-${sha256(instanceId).slice(0, 40)}`;
  const pk = hashedPartition(tenantId, prospect.id);
  const existing = await documents.read(pk, id);
  if (existing) return { facts: existing.facts, gaps: existing.gaps };

  const retrievedAt = services.clock.now().toISOString();
  const fact = (source: FactSource, text: string, where: { url?: string; recordId?: string }): ResearchFact => {
    const clean = text.replace(/\s+/g, ' ').trim().slice(0, 500);
    const hash = sha256(clean);
    return {
      id: `f-${sha256(`${source}|${where.url ?? where.recordId ?? ''}|${hash}`).slice(0, 12)}`,
      fact: clean,
      source,
      ...where,
      retrievedAt,
      hash,
    };
  };
  const gaps: Research['gaps'] = [];
  const gather = async (source: FactSource, read: () => Promise<ResearchFact[]>): Promise<ResearchFact[]> => {
    try {
      const found = await read();
      if (found.length === 0) gaps.push({ source, reason: 'nothing found' });
      return found;
    } catch (error) {
      gaps.push({ source, reason: `could not be read (${(error as Error).message.slice(0, 160)})` });
      return [];
    }
  };

  const importFacts = async () => {
    const name = displayName(prospect);
    const recordId = `prospect:${prospect.id}`;
    return [
      ...(prospect.title ? [fact('import', `${name} is ${prospect.title}${prospect.company ? ` at ${prospect.company}` : ''}.`, { recordId })] : []),
      ...(prospect.vertical ? [fact('import', `${prospect.company ?? prospect.domain} is in ${prospect.vertical}.`, { recordId })] : []),
    ];
  };

  const crmFacts = async () => {
    const history = await services.crm.accountHistory(tenantId, { email: prospect.email, domain: prospect.domain });
    const facts: ResearchFact[] = [];
    const company = history.company?.properties;
    const described = company && ['industry', 'numberofemployees', 'city', 'country', 'description'].filter((name) => company[name]);
    if (company && described && described.length > 0) {
      const parts = described.map((name) => (name === 'numberofemployees' ? `${company[name]} employees` : company[name]!));
      facts.push(
        fact('crm', `${company.name ?? prospect.company ?? prospect.domain}: ${parts.join(', ')}.`, {
          recordId: history.company!.id,
          url: history.company!.url,
        }),
      );
    }
    for (const deal of history.deals.slice(0, 2)) {
      const amount = deal.amount !== undefined ? `, ${deal.amount.toLocaleString('en-US')}` : '';
      facts.push(
        fact('crm', `Past deal "${deal.name}" (${deal.stage.toLowerCase().replace(/_/g, ' ')}${amount}, ${deal.at.slice(0, 10)}).`, {
          recordId: deal.id,
          url: deal.url,
        }),
      );
    }
    for (const note of history.notes.slice(0, maxNotes)) facts.push(fact('crm', note.body.slice(0, 300), { recordId: note.id, url: note.url }));
    if (history.lastActivity) {
      const { type, subject, at, id: recordId, url } = history.lastActivity;
      facts.push(fact('crm', `Last activity on ${at.slice(0, 10)}: ${type} "${subject}".`, { recordId, ...(url ? { url } : {}) }));
    }
    return facts;
  };

  const mailFacts = async () => {
    const exchanges = await services.mail.recentExchanges(tenantId, campaign.mailbox, prospect.email, maxExchanges);
    return exchanges.map((exchange) =>
      fact(
        'mail',
        `${exchange.direction === 'sent' ? 'We emailed' : `${displayName(prospect)} wrote`} on ${exchange.at.slice(0, 10)}: "${exchange.subject}".`,
        {
          recordId: exchange.internetMessageId,
        },
      ),
    );
  };

  const websiteFacts = async () => {
    const facts: ResearchFact[] = [];
    for (const path of sitePages) {
      const page = await services.website.fetchPage(prospect.domain, path);
      if (page.status === 'skipped') {
        if (path === '/') throw new Error(page.reason);
        continue;
      }
      for (const statement of pageStatements(page.html, 4)) {
        if (!facts.some((known) => known.fact === statement)) facts.push(fact('website', statement, { url: page.url }));
      }
    }
    return facts.slice(0, 6);
  };

  const [fromImport, fromCrm, fromMail, fromWebsite] = await Promise.all([
    gather('import', importFacts),
    gather('crm', crmFacts),
    gather('mail', mailFacts),
    gather('website', websiteFacts),
  ]);
  const facts = [...fromWebsite, ...fromCrm, ...fromMail, ...fromImport];
  try {
    await documents.create({ id, pk, tenantId, prospectId: prospect.id, campaignId: campaign.id, instanceId, facts, gaps, createdAt: retrievedAt });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const stored = (await documents.read(pk, id))!;
    return { facts: stored.facts, gaps: stored.gaps };
  }
  return { facts, gaps };
}

/** The research a sequence stored, for the taskpane and audits. */
export async function findResearch(
  services: Services,
  tenantId: string,
  prospectId: string,
  instanceId: string,
): Promise<ResearchRecord | undefined> {
  return researchDocuments(services).read(hashedPartition(tenantId, prospectId), `research-${sha256(instanceId).slice(0, 40)}`);
}

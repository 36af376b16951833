import type { DealStage } from '@asep/shared/deals/deal';
import type { Unkeyed } from '../store/tenant-store';
import type { DealRecord } from './records';

export interface CrmContact {
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  title?: string;
  domain: string;
}

export interface CrmDealInput {
  /** ASEP's own deal id: the mirror keys on it so a retried step never creates a second deal. */
  dealId: string;
  name: string;
  stage: DealStage;
  amount?: number;
  contactEmail: string;
  companyDomain: string;
}

export interface CrmEngagement {
  /** ASEP's id for the engagement, so a retry logs it once. */
  engagementId: string;
  type: 'email' | 'note' | 'meeting' | 'task';
  contactEmail: string;
  dealId?: string;
  subject: string;
  body: string;
  at: string;
  /**
   * An email ASEP sent, its touch (`engagementId`) kept beside the prospect: ASEP's own CRM reads it there rather
   * than keeping a second copy; a connected CRM logs it as any other.
   */
  sentTouch?: boolean;
}

/** A deal ASEP makes, as the CRM records it: with its contact (and company) and the note of what earned it. */
export interface CrmNewDeal {
  contact: CrmContact;
  evidence: CrmEngagement;
  /** ASEP's own record of the deal, its CRM link filled in when written. */
  record: Omit<Unkeyed<DealRecord>, 'crm'>;
}

/** What a CRM is told of one of ASEP's deals. */
export function crmDealOf(deal: Pick<DealRecord, 'id' | 'name' | 'stage' | 'amount' | 'contactEmail' | 'companyDomain'>): CrmDealInput {
  const { id, name, stage, amount, contactEmail, companyDomain } = deal;
  return { dealId: id, name, stage, amount, contactEmail, companyDomain };
}

export interface CrmRef {
  system: string;
  id: string;
  url?: string;
}

/** What the CRM knows of an account, as research reads it: the company's properties, past deals, notes, the last activity. */
export interface CrmAccountHistory {
  company?: { id: string; url?: string; properties: Record<string, string> };
  deals: { id: string; name: string; stage: string; amount?: number; at: string; url?: string }[];
  notes: { id: string; body: string; at: string; url?: string }[];
  lastActivity?: { id: string; type: string; subject: string; at: string; url?: string };
}

/** A contact as account-owner look-ups name it. */
export interface CrmAccountOf {
  email: string;
  domain: string;
}

/**
 * The revenue system of record. Locally (and for tenants without a CRM) it is ASEP's internal CRM;
 * tenants that connect HubSpot get the same calls mirrored there.
 */
export interface CrmProvider {
  upsertDeal(tenantId: string, deal: CrmDealInput): Promise<CrmRef>;
  logEngagement(tenantId: string, engagement: CrmEngagement): Promise<CrmRef>;
  /**
   * Records a deal ASEP made, its contact and its evidence, and writes ASEP's own record of it with them: the CRM
   * keeps ASEP's deals, so that where they share a partition with its contacts and notes they are written in one
   * request. Answers the record as stored, or as an earlier call stored it under the same id.
   */
  createDeal(tenantId: string, deal: CrmNewDeal): Promise<DealRecord>;
  /** The account of the contact at `email` (company `domain`): read-only, for research. */
  accountHistory(tenantId: string, contact: { email: string; domain: string }): Promise<CrmAccountHistory>;
  /**
   * The mailbox of the rep who owns each contact's account, keyed by the contact's lowercased e-mail, for the contacts
   * whose owner is one of `reps` (mailboxes); the others are absent. Never fails for want of an owner.
   */
  accountOwners(tenantId: string, contacts: readonly CrmAccountOf[], reps: readonly string[]): Promise<Map<string, string>>;
}

/** The owners (by the contact's lowercased e-mail) that are one of `reps`, as their rep's mailbox. */
export function ownedByReps(
  contacts: readonly CrmAccountOf[],
  ownerOf: (contact: CrmAccountOf) => string | undefined,
  reps: readonly string[],
): Map<string, string> {
  const known = new Set(reps.map((rep) => rep.toLowerCase()));
  const owned = new Map<string, string>();
  for (const contact of contacts) {
    const owner = ownerOf(contact)?.toLowerCase();
    if (owner && known.has(owner)) owned.set(contact.email.toLowerCase(), owner);
  }
  return owned;
}

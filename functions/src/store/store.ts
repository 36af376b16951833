import type { Database } from '@azure/cosmos';
import { containers } from './containers';
import { Documents } from './documents';
import { InLine } from './in-line';
import { scopeToTenant, type Partitioning } from './tenant-store';
import type { TenantRecord, UserRecord, SendCounterRecord } from '../tenants/records';
import type { PolicyRecord, PolicyVersionRecord } from '../policies/records';
import type { KillSwitchRecord } from '../killswitch/records';
import type { ProspectRecord, SuppressionRecord } from '../prospects/records';
import type { CampaignRecord, EnrolmentRecord } from '../campaigns/records';
import type { ApprovalRecord } from '../approvals/records';
import type { MessageIndexRecord, MessageRecord } from '../mail/message';
import type { DealRecord, CrmObjectRecord } from '../crm/records';
import type { ConversationReferenceRecord } from '../bot/records';
import type { RepRecord } from '../reps/records';
import type { BookingGenerationRecord, BookingRecord } from '../bookings/records';
import type { DigestRecord } from '../reports/records';

/**
 * How long records read on every send but changed rarely (policy, kill switch, campaign, rep) are served from memory. Changes made through
 * this process are seen at once; the kill switch is read afresh right before every send regardless.
 */
const rarelyChangedCacheMs = 30_000;

/** Every kind of record ASEP keeps, each bound to its container. */
export function createStore(database: Database) {
  const container = (name: keyof typeof containers) => database.container(containers[name].id);
  const kinds = {
    tenants: new Documents<TenantRecord>(container('tenants'), 'tenant'),
    users: new Documents<UserRecord>(container('tenants'), 'user'),
    sendCounters: new Documents<SendCounterRecord>(container('tenants'), 'sendCounter'),
    policies: new Documents<PolicyRecord>(container('tenants'), 'policy', rarelyChangedCacheMs),
    policyVersions: new Documents<PolicyVersionRecord>(container('tenants'), 'policyVersion'),
    killSwitches: new Documents<KillSwitchRecord>(container('tenants'), 'killswitch', rarelyChangedCacheMs),
    reps: new Documents<RepRecord>(container('tenants'), 'rep', rarelyChangedCacheMs),
    conversationReferences: new Documents<ConversationReferenceRecord>(container('tenants'), 'conversationReference'),
    digests: new Documents<DigestRecord>(container('tenants'), 'digest'),
    prospects: new Documents<ProspectRecord>(container('prospects'), 'prospect'),
    suppressions: new Documents<SuppressionRecord>(container('prospects'), 'suppression'),
    campaigns: new Documents<CampaignRecord>(container('campaigns'), 'campaign', rarelyChangedCacheMs),
    enrolments: new Documents<EnrolmentRecord>(container('campaigns'), 'enrolment'),
    approvals: new Documents<ApprovalRecord>(container('approvals'), 'approval'),
    messages: new Documents<MessageRecord>(container('messages'), 'message'),
    messageIndex: new Documents<MessageIndexRecord>(container('messages'), 'messageIndex'),
    deals: new Documents<DealRecord>(container('crm'), 'deal'),
    crmObjects: new Documents<CrmObjectRecord>(container('crm'), 'crmObject'),
    bookings: new Documents<BookingRecord>(container('crm'), 'booking'),
    bookingGenerations: new Documents<BookingGenerationRecord>(container('crm'), 'bookingGeneration'),
  };
  return {
    database,
    ...kinds,
    /**
     * Sent touches live beside their prospect (prospects container, the prospect's partition; see mail/touches.ts),
     * so a send reads the prospect and its touch in one request and records them in one batch.
     */
    touches: new Documents<MessageRecord>(container('prospects'), 'message'),
    auditContainer: container('audit'),
    /** This process's claims on the same send counters take turns and start from what it last wrote (see InLine). */
    sendCounterClaims: new InLine<SendCounterRecord>(),
    /** One tenant's records, each kind knowing its own partition key: `store.forTenant(tid).prospects.read(id)`. */
    forTenant: (tenantId: string) => scopeToTenant(kinds, partitioning, tenantId),
  };
}

/** Which records share their tenant's partition and which spread over its hashed buckets (the ones with volume). */
const partitioning = {
  tenants: 'tenant',
  users: 'tenant',
  sendCounters: 'tenant',
  policies: 'tenant',
  policyVersions: 'tenant',
  killSwitches: 'tenant',
  reps: 'tenant',
  conversationReferences: 'tenant',
  digests: 'tenant',
  prospects: 'hashed',
  suppressions: 'hashed',
  campaigns: 'tenant',
  // Beside their campaign: enrolling writes the campaign's count and the new enrolments in one transactional batch.
  enrolments: 'tenant',
  approvals: 'hashed',
  messages: 'hashed',
  messageIndex: 'hashed',
  deals: 'tenant',
  crmObjects: 'tenant',
  bookings: 'tenant',
  bookingGenerations: 'tenant',
} as const satisfies Record<string, Partitioning>;

export type Store = ReturnType<typeof createStore>;

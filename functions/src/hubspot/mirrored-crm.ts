import { sha256 } from '@asep/shared/audit/chain';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock/clock';
import type { CrmAccountHistory, CrmAccountOf, CrmDealInput, CrmEngagement, CrmNewDeal, CrmProvider, CrmRef } from '../crm/crm-provider';
import type { DealRecord } from '../crm/records';
import { crmDealOf, ownedByReps } from '../crm/crm-provider';
import type { HubSpotCrm } from './hubspot-crm';
import type { HubSpotCollections, MirrorBacklogRecord, MirrorCall } from './records';
import { log } from '../telemetry/telemetry';
import { HubSpotRequestError } from './requests';

export interface MirroredCrmOptions {
  /** ASEP's own CRM: the system of record, written first. */
  internal: CrmProvider;
  /** The tenant's HubSpot adapter, or undefined when the tenant has not connected HubSpot. */
  hubSpotFor: (tenantId: string) => Promise<HubSpotCrm | undefined>;
  collections: HubSpotCollections;
  audit: AuditLog;
  clock: Clock;
}

/** Contacts before the deals that need them, deals before the notes that hang on them. */
const replayOrder: MirrorCall['operation'][] = ['upsertContact', 'upsertDeal', 'logEngagement', 'markSuppressed'];

/**
 * The CRM for tenants that connected HubSpot: every write goes to the internal CRM first and is then mirrored to
 * HubSpot. HubSpot trouble never fails ASEP's own write: a mirror write that fails is kept in a backlog (one entry per
 * ASEP object, the latest call winning), audited, and replayed later; the link map makes replays create nothing twice.
 */
export class MirroredCrm implements CrmProvider {
  constructor(private readonly options: MirroredCrmOptions) {}

  async upsertDeal(tenantId: string, deal: CrmDealInput): Promise<CrmRef> {
    const ref = await this.options.internal.upsertDeal(tenantId, deal);
    await this.mirror(tenantId, { operation: 'upsertDeal', input: deal });
    return ref;
  }

  async logEngagement(tenantId: string, engagement: CrmEngagement): Promise<CrmRef> {
    const ref = await this.options.internal.logEngagement(tenantId, engagement);
    await this.mirror(tenantId, { operation: 'logEngagement', input: engagement });
    return ref;
  }

  /**
   * Mirrored contact first, then the deal, then its note: the order HubSpot's associations need. What is mirrored is
   * the deal as stored, so a retry that found it made mirrors it as it was made (its stage, amount and time, not the
   * retry's) and creates nothing twice.
   */
  async createDeal(tenantId: string, deal: CrmNewDeal): Promise<DealRecord> {
    const made = await this.options.internal.createDeal(tenantId, deal);
    await this.mirror(tenantId, { operation: 'upsertContact', input: deal.contact });
    await this.mirror(tenantId, { operation: 'upsertDeal', input: crmDealOf(made) });
    await this.mirror(tenantId, { operation: 'logEngagement', input: { ...deal.evidence, at: made.createdAt } });
    return made;
  }

  /** Read from the connected portal itself: the notes, deals and meetings people keep in HubSpot are only there. */
  async accountHistory(tenantId: string, contact: { email: string; domain: string }): Promise<CrmAccountHistory> {
    const hubSpot = await this.options.hubSpotFor(tenantId);
    return hubSpot ? hubSpot.accountHistory(contact) : this.options.internal.accountHistory(tenantId, contact);
  }

  /**
   * Account owners as the portal names them (the contact's HubSpot owner, else its company's, by the owner's e-mail),
   * for the owners who are reps; ASEP's own record of the account answers for the rest. HubSpot trouble never fails
   * the caller: the internal owners answer alone.
   */
  async accountOwners(tenantId: string, contacts: readonly CrmAccountOf[], reps: readonly string[]): Promise<Map<string, string>> {
    const hubSpot = contacts.length > 0 ? await this.options.hubSpotFor(tenantId) : undefined;
    const fromHubSpot = hubSpot
      ? await hubSpot.ownerEmails(contacts).then(
          (owners) => ownedByReps(contacts, (contact) => owners.get(contact.email.toLowerCase()), reps),
          (error: unknown) => {
            // Said, not thrown: assignment goes on by ASEP's own owners, but someone should learn HubSpot failed.
            log.warn('HubSpot account owners unavailable: assigning by ASEP’s own account owners', {
              tenantId,
              contacts: contacts.length,
              ...failureFields(error),
            });
            return new Map<string, string>();
          },
        )
      : new Map<string, string>();
    const rest = contacts.filter((contact) => !fromHubSpot.has(contact.email.toLowerCase()));
    const internal = rest.length > 0 ? await this.options.internal.accountOwners(tenantId, rest, reps) : new Map<string, string>();
    return new Map([...internal, ...fromHubSpot]);
  }

  /** ASEP suppressed an address (its own record is written by `suppress()`): flag the HubSpot contact too. */
  async markSuppressed(tenantId: string, email: string, reason: string): Promise<void> {
    await this.mirror(tenantId, { operation: 'markSuppressed', input: { email, reason } });
  }

  /** Mirror writes that failed before, replayed in dependency order. Returns how many are still outstanding. */
  async replayBacklog(tenantId: string): Promise<number> {
    const hubSpot = await this.options.hubSpotFor(tenantId);
    if (!hubSpot) return 0;
    const entries = await this.options.collections.mirrorBacklog.query(tenantId, 'true', [], 'ORDER BY c.failedAt');
    entries.sort((a, b) => replayOrder.indexOf(a.call.operation) - replayOrder.indexOf(b.call.operation));
    let outstanding = 0;
    for (const entry of entries) {
      try {
        await apply(hubSpot, entry.call);
        await this.clear(tenantId, entry.call);
      } catch (error) {
        outstanding += 1;
        await this.defer(tenantId, entry.call, error, entry);
      }
    }
    return outstanding;
  }

  private async mirror(tenantId: string, call: MirrorCall): Promise<void> {
    const hubSpot = await this.options.hubSpotFor(tenantId);
    if (!hubSpot) return;
    try {
      await apply(hubSpot, call);
    } catch (error) {
      await this.defer(tenantId, call, error);
      return;
    }
    // A newer call for the same object succeeded: an older failed one must not be replayed over it.
    await this.clear(tenantId, call);
  }

  private async defer(tenantId: string, call: MirrorCall, error: unknown, previous?: MirrorBacklogRecord): Promise<void> {
    const { collections, clock, audit } = this.options;
    const id = backlogId(call);
    const pk = hashedPartition(tenantId, id);
    const attempts = (previous ?? (await collections.mirrorBacklog.read(pk, id)))?.attempts ?? 0;
    const failure = error instanceof HubSpotRequestError ? error : undefined;
    const lastError = failure ? `${failure.status ?? ''} ${failure.category}`.trim() : 'UNEXPECTED';
    await collections.mirrorBacklog.upsert({ id, pk, tenantId, call, failedAt: clock.now().toISOString(), attempts: attempts + 1, lastError });
    await audit.append(tenantId, {
      actor: { type: 'system', id: 'hubspot-mirror' },
      type: 'crm.mirror_deferred',
      correlationId: id,
      idempotencyKey: `crm.mirror_deferred:${id}:${attempts + 1}`,
      payload: {
        provider: 'hubspot',
        operation: call.operation,
        objectHash: sha256(keyOf(call)),
        error: lastError,
        retryable: failure?.retryable ?? false,
        attempts: attempts + 1,
      },
    });
  }

  private async clear(tenantId: string, call: MirrorCall): Promise<void> {
    const id = backlogId(call);
    await this.options.collections.mirrorBacklog.container
      .item(id, hashedPartition(tenantId, id))
      .delete()
      .catch((error: { code?: number }) => {
        if (error.code !== 404) throw error;
      });
  }
}

/**
 * What a log line may say of a failed HubSpot call: which call, HubSpot's status and error category, whether it is
 * worth retrying. Never the message, which can quote HubSpot's answer (addresses, names) or a request.
 */
function failureFields(error: unknown): Record<string, unknown> {
  if (error instanceof HubSpotRequestError) {
    return { operation: error.operation, status: error.status ?? null, category: error.category, retryable: error.retryable };
  }
  return { failure: error instanceof Error ? error.name : typeof error };
}

function apply(hubSpot: HubSpotCrm, call: MirrorCall): Promise<unknown> {
  switch (call.operation) {
    case 'upsertContact':
      return hubSpot.upsertContact(call.input);
    case 'upsertDeal':
      return hubSpot.upsertDeal(call.input);
    case 'logEngagement':
      return hubSpot.logEngagement(call.input);
    case 'markSuppressed':
      return hubSpot.markSuppressed(call.input.email);
  }
}

function keyOf(call: MirrorCall): string {
  switch (call.operation) {
    case 'upsertContact':
      return call.input.email.toLowerCase();
    case 'upsertDeal':
      return call.input.dealId;
    case 'logEngagement':
      return call.input.engagementId;
    case 'markSuppressed':
      return call.input.email.toLowerCase();
  }
}

function backlogId(call: MirrorCall): string {
  return `hubspot-backlog-${sha256(`${call.operation}|${keyOf(call)}`).slice(0, 32)}`;
}

import { sha256 } from '@asep/shared/audit/chain';
import type { Campaign } from '@asep/shared/campaigns/campaign';
import { emailDomain } from '@asep/shared/prospects/prospect';
import {
  capDeferrals,
  isSendEntryOf,
  latestDeferral,
  newRecipientEntry,
  sendEntry,
  tallyDay,
  utcDay,
  type CapDeferral,
  type SendUsage,
} from '@asep/shared/policy/caps';
import type { PolicyContext } from '@asep/shared/policy/context';
import type { PolicyDocument, PolicyRules } from '@asep/shared/policy/document';
import type { Services } from '../composition/services';
import { currentPolicy } from '../policies/policies';
import { ConflictError, PreconditionFailedError } from '../store/documents';
import type { TenantDocuments, Unkeyed } from '../store/tenant-store';
import type { SendCounterRecord } from '../tenants/records';
import { queryTouches } from '../mail/touches';

export function suppressionId(value: string): string {
  return `sup-${sha256(value.toLowerCase()).slice(0, 40)}`;
}

/**
 * The suppression entry that forbids emailing `address`: one point read. Entries are addresses (`suppress`);
 * whole domains are never emailed by the policy's `excludedDomains`, read with the policy.
 */
export async function findSuppression(services: Services, tenantId: string, address: string): Promise<PolicyContext['suppression']> {
  const entry = await services.store.forTenant(tenantId).suppressions.read(suppressionId(address));
  return entry && { scope: 'address', reason: entry.reason };
}

/*
 * Send counters. Each UTC day a mailbox has one counter document and each recipient domain one more (across
 * the tenant's mailboxes); their `recipients` hold the day's claims as the entries `@asep/shared/policy/caps`
 * defines. In the domain's document, the record's `mailbox` field names the domain.
 */
const mailboxCounterId = (mailbox: string, day: string) => `sends-${mailbox.toLowerCase()}-${day}`;
const domainCounterId = (domain: string, day: string) => `rcptdomain-${domain}-${day}`;
const counterIds = (target: Pick<SendTarget, 'mailbox' | 'to'>, now: Date) => ({
  mailboxId: mailboxCounterId(target.mailbox, utcDay(now)),
  domainId: domainCounterId(emailDomain(target.to), utcDay(now)),
});

async function domainContacted(services: Services, tenantId: string, domain: string): Promise<boolean> {
  const sent = await queryTouches(services.store, tenantId, "c.status = 'sent' AND ENDSWITH(c.to, @suffix)", [
    { name: '@suffix', value: `@${domain}` },
  ]);
  return sent.length > 0;
}

export interface SendTarget {
  mailbox: string;
  to: string;
  /** The campaign sending, when there is one, for the canary rule. */
  campaign?: Pick<Campaign, 'canary'>;
}

export interface SendContextOptions {
  /** Replaces the policy in force, for dry runs of a draft. */
  policy?: PolicyDocument;
  /**
   * Where the day's counters come from. `read` (the default): as this process last wrote them, else from the store.
   * `claim`, for a decision whose slots are claimed next: as this process last wrote them, the others presumed not
   * yet written today (most sends go to a company nobody emailed today). The claim creates them, and a create that
   * finds one written elsewhere reads both and claims again, so nothing is sent past a cap on the presumption.
   * `none` when the caller claims without them (claimSendSlots reads what it needs).
   */
  counters?: 'read' | 'claim' | 'none';
}

/** The day's counter documents of a send's mailbox and recipient domain, as last read. */
export interface SendCounters {
  mailbox?: SendCounterRecord;
  domain?: SendCounterRecord;
}

/** Both counters live in the tenant's partition: one query there reads them together. */
async function readCounters(services: Pick<Services, 'store'>, tenantId: string, mailboxId: string, domainId: string): Promise<SendCounters> {
  const found = await services.store.forTenant(tenantId).sendCounters.readMany([mailboxId, domainId]);
  return { mailbox: found.find((record) => record.id === mailboxId), domain: found.find((record) => record.id === domainId) };
}

/**
 * The counters as this process last wrote them (see InLine), reading those it does not remember unless they are
 * to be presumed unwritten (see SendContextOptions): a mailbox sending all day reads its counter once.
 * `remembered` says the answer rests on this process's memory, or on the presumption, not on a read;
 * `presumed` that a counter it does not remember was taken as unwritten.
 */
async function latestCounters(
  services: Pick<Services, 'store'>,
  tenantId: string,
  mailboxId: string,
  domainId: string,
  presumeUnwritten: boolean,
): Promise<{ counters: SendCounters; remembered: boolean; presumed?: boolean }> {
  const claims = services.store.sendCounterClaims;
  const mailbox = claims.latest(`${tenantId}|${mailboxId}`);
  const domain = claims.latest(`${tenantId}|${domainId}`);
  if (presumeUnwritten) return { counters: { mailbox, domain }, remembered: true, presumed: !mailbox || !domain };
  if (!mailbox && !domain) return { counters: await readCounters(services, tenantId, mailboxId, domainId), remembered: false };
  const counterStore = services.store.forTenant(tenantId).sendCounters;
  return {
    counters: { mailbox: mailbox ?? (await counterStore.read(mailboxId)), domain: domain ?? (await counterStore.read(domainId)) },
    remembered: true,
  };
}

/** What the day's counters say the mailbox and the recipient's domain have used. */
function usageOf(counters: SendCounters | undefined, now: Date): SendUsage {
  return { ...tallyDay(counters?.mailbox?.recipients ?? [], now), recipientDomainSendsToday: counters?.domain?.recipients.length ?? 0 };
}

/** Whether the counters leave no room under some cap (a new recipient assumed: the strictest case). */
function atSomeCap(caps: PolicyRules['caps'], usage: SendUsage, now: Date): boolean {
  return capDeferrals(caps, usage, true, now.getTime(), '', '').length > 0;
}

/**
 * Everything the policy engine needs to decide one send: the policy and the kill switch as cached (the
 * sender reads the kill switch afresh right before the email leaves), suppression and the day's counters
 * from the store. The counters come back too, so claiming the send's slots need not read them again.
 */
export async function readSendState(
  services: Services,
  tenantId: string,
  target: SendTarget,
  options: SendContextOptions = {},
): Promise<{ context: PolicyContext; counters?: SendCounters; presumed?: boolean }> {
  const now = services.clock.now();
  const domain = emailDomain(target.to);
  const { mailboxId, domainId } = counterIds(target, now);
  const [policy, killSwitch, suppression, latest] = await Promise.all([
    options.policy ?? currentPolicy(services, tenantId),
    services.store.forTenant(tenantId).killSwitches.read('killswitch'),
    findSuppression(services, tenantId, target.to),
    options.counters === 'none' ? undefined : latestCounters(services, tenantId, mailboxId, domainId, options.counters === 'claim'),
  ]);
  let counters = latest?.counters;
  // Remembered (or presumed) counts can only be behind, unless another process gave a slot back: a cap they say
  // is reached is looked at in the store before a send is deferred by it.
  if (latest?.remembered && atSomeCap(policy.rules.caps, usageOf(counters, now), now))
    counters = await readCounters(services, tenantId, mailboxId, domainId);
  const context: PolicyContext = {
    policy,
    killSwitch: killSwitch ?? { campaigns: {} },
    now,
    suppression,
    usage: usageOf(counters, now),
    ...(policy.rules.approvals.newRecipientDomain ? { recipientDomainContacted: await domainContacted(services, tenantId, domain) } : {}),
    ...(target.campaign ? { campaign: { canaryStarted: target.campaign.canary !== undefined } } : {}),
  };
  return { context, ...(counters ? { counters } : {}), ...(latest?.presumed && counters === latest.counters ? { presumed: true } : {}) };
}

/**
 * The context with the day's counters as the store has them: for a decision that rested on presumed ones but
 * does not claim at once (it waits, or asks for approval), so what it says of the caps is what they are.
 */
export async function withStoredCounters(
  services: Pick<Services, 'store' | 'clock'>,
  tenantId: string,
  target: Pick<SendTarget, 'mailbox' | 'to'>,
  context: PolicyContext,
): Promise<{ context: PolicyContext; counters: SendCounters }> {
  const { mailboxId, domainId } = counterIds(target, context.now);
  const counters = await readCounters(services, tenantId, mailboxId, domainId);
  return { context: { ...context, usage: usageOf(counters, context.now) }, counters };
}

/** Everything the policy engine needs to decide one send (see readSendState). */
export async function loadSendContext(
  services: Services,
  tenantId: string,
  target: SendTarget,
  options: SendContextOptions = {},
): Promise<PolicyContext> {
  return (await readSendState(services, tenantId, target, options)).context;
}

export interface SendClaim {
  mailbox: string;
  to: string;
  /** Unique per send and stable across its retries: claiming again under it takes nothing more. */
  touchId: string;
  isFirstTouch: boolean;
}

type Counters = Pick<Services, 'store' | 'clock'>;

/** The write that adds `entries` to a counter: a create when there is none yet, else a replace if nobody changed it. */
function counterWrite(current: SendCounterRecord | undefined, fresh: Omit<Unkeyed<SendCounterRecord>, 'recipients'>, entries: string[]) {
  return current ? { replace: { ...current, recipients: [...current.recipients, ...entries] } } : { create: { ...fresh, recipients: entries } };
}

/**
 * Takes the send's slots under every cap: the mailbox's minute, hour and day, its new recipients (for a first
 * touch) and the recipient domain's day. Conditional writes make racing sends share the last slots exactly:
 * with 5 left, 50 racers get 5 claims and the rest the cap that stopped them and when it reopens. A send claimed
 * before (a retry) finds its entries and takes nothing more; a recipient already counted today takes no new
 * recipient slot.
 */
export async function claimSendSlots(
  services: Counters,
  tenantId: string,
  claim: SendClaim,
  caps: PolicyRules['caps'],
  /** The counters as just read for the decision: the first attempt claims against them without reading again. */
  known?: SendCounters,
): Promise<CapDeferral | undefined> {
  const counterStore = services.store.forTenant(tenantId).sendCounters;
  const now = services.clock.now();
  const day = utcDay(now);
  const domain = emailDomain(claim.to);
  const mailboxId = mailboxCounterId(claim.mailbox, day);
  const domainId = domainCounterId(domain, day);
  const sent = sendEntry(now, claim.touchId);
  const newRecipient = newRecipientEntry(claim.to);
  const [mailboxKey, domainKey] = [`${tenantId}|${mailboxId}`, `${tenantId}|${domainId}`];
  const claims = services.store.sendCounterClaims;
  return claims.run([mailboxKey, domainKey], async (line) => {
    // What the claim just before this one wrote is newer than what this send read for its decision.
    let counters: SendCounters | undefined =
      line.latest(mailboxKey) || line.latest(domainKey)
        ? { mailbox: line.latest(mailboxKey) ?? known?.mailbox, domain: line.latest(domainKey) ?? known?.domain }
        : known;
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const readNow = counters === undefined;
      const { mailbox: mailboxCounter, domain: domainCounter } = counters ?? (await readCounters(services, tenantId, mailboxId, domainId));
      counters = undefined;
      const mailboxEntries = mailboxCounter?.recipients ?? [];
      const domainEntries = domainCounter?.recipients ?? [];
      const inMailbox = mailboxEntries.some((entry) => isSendEntryOf(entry, claim.touchId));
      const inDomain = domainEntries.some((entry) => isSendEntryOf(entry, claim.touchId));
      if (inMailbox && inDomain) return undefined;
      const needsNewRecipient = claim.isFirstTouch && !mailboxEntries.includes(newRecipient);

      // A claim half made by an earlier attempt does not count against itself.
      const others = (entries: string[]) => entries.filter((entry) => !isSendEntryOf(entry, claim.touchId));
      const usage = { ...tallyDay(others(mailboxEntries), now), recipientDomainSendsToday: others(domainEntries).length };
      const deferral = latestDeferral(capDeferrals(caps, usage, needsNewRecipient, now.getTime(), claim.mailbox, domain));
      if (deferral) {
        // Counts not read just now may be behind a slot given back elsewhere: a deferral rests on the store's.
        if (!readNow) continue;
        // The next claim starts from what the store just said, rather than presuming or reading again.
        if (mailboxCounter?._etag) line.handOn(mailboxKey, mailboxCounter);
        if (domainCounter?._etag) line.handOn(domainKey, domainCounter);
        if (inDomain) {
          const released = await releaseDomainSlot(counterStore, domainId, claim.touchId);
          if (released?._etag) line.handOn(domainKey, released);
        }
        return deferral;
      }
      try {
        // Both counters share the tenant's partition: one batch takes both slots.
        const written = await counterStore.writeTogether([
          ...(inDomain ? [] : [counterWrite(domainCounter, { id: domainId, mailbox: domain, day }, [sent])]),
          ...(inMailbox
            ? []
            : [counterWrite(mailboxCounter, { id: mailboxId, mailbox: claim.mailbox, day }, needsNewRecipient ? [sent, newRecipient] : [sent])]),
        ]);
        for (const record of written) if (record?._etag) line.handOn(record.id === mailboxId ? mailboxKey : domainKey, record);
        return undefined;
      } catch (error) {
        if (!(error instanceof ConflictError || error instanceof PreconditionFailedError)) throw error;
        // Written elsewhere since: what this process remembers of both is no longer the store's.
        claims.forget(mailboxKey);
        claims.forget(domainKey);
      }
    }
    throw new Error(`Could not claim a send slot for ${claim.mailbox}: too much contention`);
  });
}

async function releaseDomainSlot(
  counterStore: TenantDocuments<SendCounterRecord>,
  id: string,
  touchId: string,
): Promise<SendCounterRecord | undefined> {
  return counterStore.update(id, (counter) =>
    counter.recipients.some((entry) => isSendEntryOf(entry, touchId))
      ? { ...counter, recipients: counter.recipients.filter((entry) => !isSendEntryOf(entry, touchId)) }
      : undefined,
  );
}

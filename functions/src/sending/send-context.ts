import { sha256 } from '@asep/shared/audit/chain';
import { emailDomain } from '@asep/shared/prospects/prospect';
import type { PolicyContext } from '@asep/shared/policy/evaluate';
import { hashedPartition, tenantPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { currentPolicy } from '../policies/policies';
import { ConflictError, PreconditionFailedError } from '../store/documents';

export function suppressionId(value: string): string {
  return `sup-${sha256(value.toLowerCase()).slice(0, 40)}`;
}

export async function isSuppressed(services: Services, tenantId: string, address: string): Promise<boolean> {
  const ids = [suppressionId(address), suppressionId(emailDomain(address))];
  const found = await Promise.all(ids.map((id) => services.store.suppressions.read(hashedPartition(tenantId, id), id)));
  return found.some(Boolean);
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function counterId(mailbox: string, day: string): string {
  return `newrcpt-${mailbox}-${day}`;
}

/** Everything the policy engine needs to decide one send, read fresh from the store. */
export async function loadSendContext(services: Services, tenantId: string, mailbox: string, to: string): Promise<PolicyContext> {
  const pk = tenantPartition(tenantId);
  const [policy, killSwitch, suppressed, counter] = await Promise.all([
    currentPolicy(services, tenantId),
    services.store.killSwitches.read(pk, 'killswitch'),
    isSuppressed(services, tenantId, to),
    services.store.sendCounters.read(pk, counterId(mailbox, utcDay(services.clock.now()))),
  ]);
  return {
    policy,
    killSwitch: killSwitch ?? { campaigns: {} },
    suppressed,
    newRecipientsToday: counter?.recipients.length ?? 0,
  };
}

/**
 * Takes one of the mailbox's new-recipient slots for today. Conditional writes make racing sends
 * share the last slots exactly: with 5 left, 50 racers get 5 claims. Re-claiming a recipient already
 * counted today is free, so a retried send never burns a second slot.
 */
export async function claimNewRecipient(services: Services, tenantId: string, mailbox: string, to: string, cap: number): Promise<boolean> {
  const pk = tenantPartition(tenantId);
  const day = utcDay(services.clock.now());
  const id = counterId(mailbox, day);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const counter = await services.store.sendCounters.read(pk, id);
    try {
      if (!counter) {
        if (cap < 1) return false;
        await services.store.sendCounters.create({ id, pk, tenantId, mailbox, day, recipients: [to] });
        return true;
      }
      if (counter.recipients.includes(to)) return true;
      if (counter.recipients.length >= cap) return false;
      await services.store.sendCounters.replace({ ...counter, recipients: [...counter.recipients, to] });
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof PreconditionFailedError)) throw error;
    }
  }
  throw new Error(`Could not claim a send slot for ${mailbox}: too much contention`);
}

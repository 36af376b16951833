import { sha256 } from '@asep/shared/audit/chain';
import { changeKey } from '@asep/shared/audit/change-key';
import { defaultRepHours, nameFromMailbox, type Rep, type RepUpdate } from '@asep/shared/reps/rep';
import type { Services } from '../composition/services';
import { InFlight } from '../store/in-flight';
import type { Principal } from '../identity/principal';
import { currentPolicy } from '../policies/policies';
import type { RepRecord } from './records';

/** Hours read from a mailbox's settings are read again after this long: a rep who changes them in Outlook is followed. */
const mailboxSettingsMaxAgeMs = 24 * 3_600_000;

const repId = (mailbox: string) => `rep-${sha256(mailbox.toLowerCase()).slice(0, 24)}`;

export function toRep(record: RepRecord): Rep {
  const { name, mailbox, userId, timeZone, workingHours, signature, source, updatedAt } = record;
  return { name, mailbox, ...(userId ? { userId } : {}), timeZone, workingHours, ...(signature ? { signature } : {}), source, updatedAt };
}

/** Refreshes of a rep's hours in flight, per services: sends racing on a mailbox not seen today share one. */
const refreshing = new WeakMap<Services, InFlight<Rep>>();

/**
 * The rep who sends from `mailbox`. Hours someone set in ASEP win; otherwise they are the mailbox's own working
 * hours and time zone (Exchange's mailbox settings, through the calendar), read once a day; a mailbox whose settings
 * cannot be read works 09:00–17:00 on weekdays in the policy's fallback zone.
 */
export async function repFor(services: Services, tenantId: string, mailbox: string, options: { fresh?: boolean } = {}): Promise<Rep> {
  if (options.fresh) return readRep(services, tenantId, mailbox, true);
  const inFlight = refreshing.get(services) ?? new InFlight<Rep>();
  refreshing.set(services, inFlight);
  return inFlight.share(`${tenantId}|${mailbox.toLowerCase()}`, () => readRep(services, tenantId, mailbox, false));
}

async function readRep(services: Services, tenantId: string, mailbox: string, fresh: boolean): Promise<Rep> {
  const reps = services.store.forTenant(tenantId).reps;
  const id = repId(mailbox);
  // Every send names its rep: as cached (like the policy) unless the caller is about to change the record.
  const stored = await (fresh ? reps.readFresh(id) : reps.read(id));
  const now = services.clock.now();
  if (stored && (stored.source === 'manual' || now.getTime() - Date.parse(stored.updatedAt) < mailboxSettingsMaxAgeMs)) return toRep(stored);

  const settings = await services.calendar.workingHours(tenantId, mailbox.toLowerCase());
  const fallbackZone = settings ? undefined : (await currentPolicy(services, tenantId)).rules.sendingWindow.fallbackTimeZone;
  const record = await reps.upsert({
    ...stored,
    id,
    name: stored?.name ?? nameFromMailbox(mailbox),
    mailbox: mailbox.toLowerCase(),
    timeZone: settings?.timeZone ?? fallbackZone!,
    workingHours: settings?.workingHours ?? defaultRepHours,
    source: settings ? 'mailbox' : 'default',
    updatedAt: now.toISOString(),
  });
  return toRep(record);
}

export async function listReps(services: Services, tenantId: string): Promise<Rep[]> {
  return (await services.store.reps.query(tenantId, 'true', [], 'ORDER BY c.mailbox')).map(toRep);
}

/** Sets a rep's name, hours, zone or signature; hours set here win over the mailbox's settings. Audited. */
export async function updateRep(
  services: Services,
  principal: Principal,
  mailbox: string,
  update: RepUpdate,
  request: { correlationId: string; requestId: string },
): Promise<Rep> {
  const current = await repFor(services, principal.tenantId, mailbox, { fresh: true });
  const { signature, ...fields } = update;
  const hoursChanged = update.workingHours !== undefined || update.timeZone !== undefined;
  // Setting what is already there is no change: nothing is written and nothing is audited.
  const unchanged =
    (Object.keys(fields) as (keyof typeof fields)[]).every((field) => JSON.stringify(fields[field]) === JSON.stringify(current[field])) &&
    (signature === undefined || (signature ?? undefined) === current.signature) &&
    (!hoursChanged || current.source === 'manual');
  if (unchanged) return current;
  const next: Rep = {
    ...current,
    ...fields,
    ...(signature === null ? { signature: undefined } : signature !== undefined ? { signature } : {}),
    source: hoursChanged ? 'manual' : current.source,
    updatedAt: services.clock.now().toISOString(),
  };
  const record = await services.store.forTenant(principal.tenantId).reps.upsert({ ...next, id: repId(mailbox) });
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'rep.updated',
    correlationId: request.correlationId,
    idempotencyKey: changeKey('rep.updated', record.mailbox, update, request.requestId),
    payload: { mailbox: record.mailbox, fields: Object.keys(update), timeZone: record.timeZone, workingHours: record.workingHours },
  });
  return toRep(record);
}

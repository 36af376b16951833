import { z } from 'zod';
import { headerSafe } from '../mail/header-safe';
import { isValidTimeZone } from '../scheduling/zonedTime';
import type { WorkingHours } from '../scheduling/slots';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (00:00 to 23:59)');

/** A rep's working week: the same hours on each listed ISO weekday (1 = Monday … 7 = Sunday), in the rep's zone. */
export const repHoursSchema = z
  .strictObject({
    start: clockTime,
    end: clockTime,
    days: z.array(z.int().min(1).max(7)).min(1, 'name at least one working day'),
  })
  .refine((hours) => hours.start < hours.end, { message: 'working hours must end after they start', path: ['end'] });

const repFields = {
  /** A display name: it can reach a From header, so it is kept on one line. */
  name: z.string().overwrite(headerSafe).min(1).max(200),
  /** The Exchange mailbox the rep sends from and whose calendar takes their meetings. */
  mailbox: z.string().trim().toLowerCase().pipe(z.email()),
  /** The Entra object id, when the rep has signed in. */
  userId: z.string().min(1).optional(),
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone, e.g. America/Chicago'),
  workingHours: repHoursSchema,
  /** Appended to every email sent from the rep's mailbox. */
  signature: z.string().max(2000).optional(),
};

/** A sales rep: who sends from which mailbox, when they work and in which zone. */
export const repSchema = z.object({
  ...repFields,
  /** Where the hours came from: the mailbox's own settings in Exchange, a person in ASEP, or the fallback. */
  source: z.enum(['mailbox', 'manual', 'default']),
  updatedAt: z.string(),
});
export type Rep = z.infer<typeof repSchema>;

/** What a RevOps lead or the rep may change; hours set here win over the mailbox's settings until cleared. */
export const repUpdateSchema = z.strictObject({
  name: repFields.name.optional(),
  userId: repFields.userId,
  timeZone: repFields.timeZone.optional(),
  workingHours: repHoursSchema.optional(),
  signature: repFields.signature.nullable(),
});
export type RepUpdate = z.infer<typeof repUpdateSchema>;

/** Hours assumed for a mailbox whose settings cannot be read: a plain office day in the tenant's fallback zone. */
export const defaultRepHours: Rep['workingHours'] = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };

/** The rep's hours as the slot search reads them. */
export function repWorkingHours(rep: Pick<Rep, 'timeZone' | 'workingHours'>): WorkingHours {
  return { ...rep.workingHours, timeZone: rep.timeZone };
}

/** The rep's name for a mailbox-only record: the local part, capitalised ("jane.doe@x" → "Jane Doe"). */
export function nameFromMailbox(mailbox: string): string {
  return mailbox
    .slice(0, mailbox.indexOf('@'))
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}

/** The email's body with the rep's signature below it, unless the template already ends with it. */
export function withSignature(body: string, rep: Pick<Rep, 'signature'>): string {
  const signature = rep.signature?.trim();
  if (!signature || body.trimEnd().endsWith(signature)) return body;
  return `${body.trimEnd()}\n\n${signature}`;
}

import { z } from 'zod';

/**
 * How a campaign with several sending mailboxes gives each prospect to one of them. `prospect_owner` and
 * `account_owner` follow the owner's mailbox when it is one of the campaign's; a prospect without one (or whose
 * owner's mailbox is full or not in the campaign) goes round-robin, as every prospect does under `round_robin`.
 */
export const assignmentRuleSchema = z.strictObject({
  rule: z.enum(['prospect_owner', 'account_owner', 'round_robin']).default('round_robin'),
  /** The most prospects one mailbox takes in this campaign; unset means no limit. */
  capPerMailbox: z.int().positive().optional(),
  /** Caps for particular mailboxes, over `capPerMailbox`. */
  caps: z.record(z.string().trim().toLowerCase().pipe(z.email()), z.int().min(0)).optional(),
});
export type AssignmentRule = z.infer<typeof assignmentRuleSchema>;

export interface AssignableProspect {
  id: string;
  /** The mailbox of the prospect's owner (the `owner` import column). */
  owner?: string;
  /** The mailbox of the owner of the prospect's account in the CRM. */
  accountOwner?: string;
}

export const assignmentSchema = z.object({
  mailbox: z.string(),
  /** Why this mailbox, for the audit log and the console. */
  reason: z.enum(['prospect owner', 'account owner', 'round-robin']),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export interface AssignmentOutcome {
  /** Each new prospect's mailbox, by prospect id. */
  assignments: Record<string, Assignment>;
  /** Prospects no mailbox had room for. */
  unassigned: string[];
  /** Prospects per mailbox, those already given included: what the campaign keeps to assign the next ones. */
  load: Record<string, number>;
}

/**
 * Gives each new prospect a mailbox, counting the prospects mailboxes have already (`load`) against the caps.
 * Deterministic: the same prospects in the same order always get the same mailboxes. Round-robin takes the mailbox
 * with the fewest prospects so far (the campaign's order breaks ties), so mailboxes added later catch up before
 * others take more.
 */
export function assignMailboxes(input: {
  mailboxes: readonly string[];
  rule: AssignmentRule;
  prospects: readonly AssignableProspect[];
  load?: Readonly<Record<string, number>>;
}): AssignmentOutcome {
  const mailboxes = [...new Set(input.mailboxes.map((mailbox) => mailbox.toLowerCase()))];
  const load = new Map(mailboxes.map((mailbox) => [mailbox, input.load?.[mailbox] ?? 0]));
  const assignments: Record<string, Assignment> = {};
  const capOf = (mailbox: string) => input.rule.caps?.[mailbox] ?? input.rule.capPerMailbox ?? Number.POSITIVE_INFINITY;
  const hasRoom = (mailbox: string) => load.has(mailbox) && load.get(mailbox)! < capOf(mailbox);
  const take = (prospectId: string, mailbox: string, reason: Assignment['reason']) => {
    assignments[prospectId] = { mailbox, reason };
    load.set(mailbox, load.get(mailbox)! + 1);
  };

  const unassigned: string[] = [];
  for (const prospect of input.prospects) {
    if (assignments[prospect.id]) continue;
    const owner = input.rule.rule === 'prospect_owner' ? prospect.owner : input.rule.rule === 'account_owner' ? prospect.accountOwner : undefined;
    const ownerMailbox = owner?.toLowerCase();
    if (ownerMailbox && hasRoom(ownerMailbox)) {
      take(prospect.id, ownerMailbox, input.rule.rule === 'prospect_owner' ? 'prospect owner' : 'account owner');
      continue;
    }
    const leastLoaded = mailboxes.filter(hasRoom).sort((a, b) => load.get(a)! - load.get(b)!)[0];
    if (leastLoaded) take(prospect.id, leastLoaded, 'round-robin');
    else unassigned.push(prospect.id);
  }
  return { assignments, unassigned, load: { ...input.load, ...Object.fromEntries(load) } };
}

import { sendingMailboxes, type Campaign } from '@asep/shared/campaigns/campaign';
import { assignMailboxes, assignmentRuleSchema, type AssignableProspect, type AssignmentOutcome } from '@asep/shared/reps/assignment';
import type { Services } from '../composition/services';
import type { ProspectRecord } from '../prospects/records';

/**
 * What assignment needs to know of each prospect; the CRM is asked for account owners only when the rule uses them,
 * and only owners who are the campaign's reps (its sending mailboxes) count: the others go by the campaign's rule.
 */
export async function assignableProspects(services: Services, tenantId: string, campaign: Campaign, prospects: readonly ProspectRecord[]) {
  const byOwner = campaign.assignment?.rule === 'account_owner';
  const owners = byOwner ? await services.crm.accountOwners(tenantId, prospects, sendingMailboxes(campaign)) : new Map<string, string>();
  return prospects.map((prospect): AssignableProspect => {
    const accountOwner = owners.get(prospect.email.toLowerCase());
    return { id: prospect.id, ...(prospect.owner ? { owner: prospect.owner } : {}), ...(accountOwner ? { accountOwner } : {}) };
  });
}

/** Gives the campaign's new prospects their mailboxes, counting the prospects each mailbox has already. */
export function assignCampaign(campaign: Campaign, prospects: readonly AssignableProspect[]): AssignmentOutcome {
  return assignMailboxes({
    mailboxes: sendingMailboxes(campaign),
    rule: campaign.assignment ?? assignmentRuleSchema.parse({}),
    prospects,
    load: campaign.mailboxLoad,
  });
}

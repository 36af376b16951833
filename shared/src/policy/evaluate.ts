import { z } from 'zod';
import { emailDomain } from '../prospects/prospect';
import { isHalted, type KillSwitchState } from '../killswitch/killswitch';
import type { PolicyDocument } from './document';
import type { PolicyDecision, PolicyReason } from './decision';

/** An outbound email the system wants to send, as the policy engine sees it. */
export const sendEmailActionSchema = z.strictObject({
  type: z.literal('send_email'),
  campaignId: z.string().optional(),
  mailbox: z.email(),
  to: z.email(),
  subject: z.string(),
  body: z.string(),
  isFirstTouch: z.boolean(),
  stepApproval: z.enum(['every', 'once', 'none']).default('every'),
  /** True when a Manager already approved this exact send (or this step, for approve-once steps). */
  approved: z.boolean().default(false),
});
export type SendEmailAction = z.infer<typeof sendEmailActionSchema>;

export interface PolicyContext {
  policy: PolicyDocument;
  killSwitch: KillSwitchState;
  /** New recipients this mailbox has already been given today. */
  newRecipientsToday: number;
  suppressed: boolean;
}

type Rule = (action: SendEmailAction, context: PolicyContext) => PolicyReason | undefined;

const killSwitch: Rule = (action, { killSwitch }) =>
  isHalted(killSwitch, action.campaignId)
    ? { rule: 'killSwitch', outcome: 'block', message: killSwitch.tenant?.active ? 'The tenant kill switch is on.' : 'The campaign kill switch is on.' }
    : undefined;

const suppression: Rule = (action, { suppressed }) =>
  suppressed ? { rule: 'suppression', outcome: 'block', message: `${action.to} is suppressed (unsubscribed, bounced or do-not-contact).` } : undefined;

const blockedTld: Rule = (action, { policy }) => {
  const domain = emailDomain(action.to);
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  return policy.rules.recipients.blockedTlds.includes(tld)
    ? { rule: 'recipients.blockedTlds', outcome: 'block', message: `Recipients under .${tld} are never emailed.` }
    : undefined;
};

const domainLists: Rule = (action, { policy }) => {
  const domain = emailDomain(action.to);
  const { allowedDomains, excludedDomains } = policy.rules.recipients;
  if (excludedDomains.includes(domain)) return { rule: 'recipients.excludedDomains', outcome: 'block', message: `${domain} is an excluded domain.` };
  if (allowedDomains.length > 0 && !allowedDomains.includes(domain)) {
    return { rule: 'recipients.allowedDomains', outcome: 'block', message: `Pilot mode: ${domain} is not on the allowed list.` };
  }
  return undefined;
};

const newRecipientCap: Rule = (action, { policy, newRecipientsToday }) => {
  const cap = policy.rules.caps.newRecipientsPerMailboxPerDay;
  return action.isFirstTouch && newRecipientsToday >= cap
    ? { rule: 'caps.newRecipientsPerMailboxPerDay', outcome: 'block', message: `${action.mailbox} has reached its ${cap} new recipients for today.` }
    : undefined;
};

const firstTouchApproval: Rule = (action, { policy }) => {
  if (action.approved) return undefined;
  if (action.isFirstTouch && policy.rules.approvals.firstTouch) {
    return { rule: 'approvals.firstTouch', outcome: 'approval', message: 'First touches need a Manager’s approval.' };
  }
  if (action.stepApproval !== 'none') {
    return { rule: `steps.approval.${action.stepApproval}`, outcome: 'approval', message: 'This sequence step asks for approval before it is sent.' };
  }
  return undefined;
};

const rules: Rule[] = [killSwitch, suppression, blockedTld, domainLists, newRecipientCap, firstTouchApproval];

/** Decides an outbound action. Pure: the same action and context always give the same decision. */
export function evaluatePolicy(action: SendEmailAction, context: PolicyContext): PolicyDecision {
  const reasons = rules.map((rule) => rule(action, context)).filter((reason): reason is PolicyReason => reason !== undefined);
  const blocked = reasons.some((reason) => reason.outcome === 'block');
  return {
    allow: !blocked,
    approvalRequired: !blocked && reasons.some((reason) => reason.outcome === 'approval'),
    reasons: reasons.length > 0 ? reasons : [{ rule: 'default', outcome: 'pass', message: 'No rule objects to this send.' }],
    policyVersion: context.policy.version,
  };
}

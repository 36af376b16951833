import { isHalted } from '../killswitch/killswitch';
import { emailDomain } from '../prospects/prospect';
import type { SendEmailAction } from './action';
import { capDeferrals } from './caps';
import { prohibitedClaimsIn, unsupportedClaims } from './claims';
import type { Finding, PolicyContext } from './context';
import { evidenceFindings } from './evidence-rules';
import { findPii } from './pii';
import { sendingWindowDeferral } from './sending-window';
import { holidayCountry } from '../scheduling/holidays';

/** A send with what several rules derive from it, worked out once. */
export interface SendFacts {
  action: SendEmailAction;
  domain: string;
}

type SendRule = (send: SendFacts, context: PolicyContext, findings: Finding[]) => void;

const killSwitch: SendRule = ({ action }, { killSwitch }, findings) => {
  if (!isHalted(killSwitch, action.campaignId)) return;
  findings.push({
    rule: 'killSwitch',
    outcome: 'block',
    message: killSwitch.tenant?.active ? 'The tenant kill switch is on.' : 'The campaign kill switch is on.',
  });
};

const suppression: SendRule = ({ action, domain }, { suppression }, findings) => {
  if (!suppression) return;
  findings.push({
    rule: 'suppression',
    outcome: 'block',
    message:
      suppression.scope === 'domain'
        ? `${domain} is on the tenant's suppression list as a whole domain (reason: ${suppression.reason}).`
        : `${action.to} is on the tenant's suppression list (reason: ${suppression.reason}).`,
  });
};

const doNotContact: SendRule = ({ action }, _context, findings) => {
  if (action.recipient.doNotContact) {
    findings.push({ rule: 'recipients.doNotContact', outcome: 'block', message: `${action.to} is marked do-not-contact.` });
  }
};

const blockedTld: SendRule = ({ domain }, { policy }, findings) => {
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (policy.rules.recipients.blockedTlds.includes(tld)) {
    findings.push({ rule: 'recipients.blockedTlds', outcome: 'block', message: `Recipients under .${tld} are never emailed.` });
  }
};

/** True when `domain` is one of `listed` or a subdomain of one. */
function withinDomains(domain: string, listed: readonly string[]): boolean {
  return listed.some((entry) => domain === entry || domain.endsWith(`.${entry}`));
}

const domainLists: SendRule = ({ domain }, { policy }, findings) => {
  const { allowedDomains, excludedDomains } = policy.rules.recipients;
  if (withinDomains(domain, excludedDomains)) {
    findings.push({ rule: 'recipients.excludedDomains', outcome: 'block', message: `${domain} is an excluded domain.` });
  } else if (allowedDomains.length > 0 && !withinDomains(domain, allowedDomains)) {
    findings.push({ rule: 'recipients.allowedDomains', outcome: 'block', message: `Pilot mode: ${domain} is not on the allowed list.` });
  }
};

/** Allowed and excluded lists over one attribute of the recipient (region, vertical). */
function listRule(
  attribute: 'region' | 'vertical',
  allowedKey: 'allowedRegions' | 'allowedVerticals',
  excludedKey: 'excludedRegions' | 'excludedVerticals',
): SendRule {
  return ({ action }, { policy }, findings) => {
    const allowed = policy.rules.recipients[allowedKey];
    const excluded = policy.rules.recipients[excludedKey];
    if (allowed.length === 0 && excluded.length === 0) return;
    const value = action.recipient[attribute]?.trim().toLowerCase();
    if (value && excluded.includes(value)) {
      findings.push({ rule: `recipients.${excludedKey}`, outcome: 'block', message: `Prospects in the ${attribute} ${value} are never emailed.` });
    } else if (allowed.length > 0 && !(value && allowed.includes(value))) {
      findings.push({
        rule: `recipients.${allowedKey}`,
        outcome: 'block',
        message: value
          ? `Only prospects in the ${attribute}s ${allowed.join(', ')} are emailed; this one is in ${value}.`
          : `Only prospects in the ${attribute}s ${allowed.join(', ')} are emailed, and this prospect's ${attribute} is unknown.`,
      });
    }
  };
}

const canary: SendRule = (_send, { policy, campaign }, findings) => {
  if (policy.rules.canary.required && campaign && !campaign.canaryStarted) {
    findings.push({
      rule: 'canary.required',
      outcome: 'block',
      message: 'The policy needs a canary run first: start this campaign with a canary cohort.',
    });
  }
};

const evidenceForSends: SendRule = ({ action }, { policy }, findings) => {
  if (policy.rules.evidence.requiredForSends && action.evidence.length === 0) {
    findings.push({
      rule: 'evidence.requiredForSends',
      outcome: 'block',
      message: 'The policy needs at least one fact about the prospect before anyone is emailed.',
    });
  }
};

const sendingWindow: SendRule = ({ action }, { policy, now }, findings) => {
  if (!policy.rules.sendingWindow.enabled) return;
  const deferral = sendingWindowDeferral(now.getTime(), action.recipient.timeZone, policy.rules.sendingWindow, holidayCountry(action.recipient));
  if (deferral) findings.push({ rule: 'sendingWindow', outcome: 'defer', message: deferral.message, retryAt: deferral.retryAt });
};

const caps: SendRule = ({ action, domain }, { policy, usage, now }, findings) => {
  for (const { rule, retryAt, message } of capDeferrals(policy.rules.caps, usage, action.isFirstTouch, now.getTime(), action.mailbox, domain)) {
    findings.push({ rule, outcome: 'defer', message, retryAt });
  }
};

const approvals: SendRule = ({ action, domain }, { policy, recipientDomainContacted }, findings) => {
  if (action.approved) return;
  if (action.isFirstTouch && policy.rules.approvals.firstTouch) {
    findings.push({ rule: 'approvals.firstTouch', outcome: 'approval', message: 'First touches need a Manager’s approval.' });
  } else if (action.stepApproval !== 'none') {
    findings.push({
      rule: `steps.approval.${action.stepApproval}`,
      outcome: 'approval',
      message: 'This sequence step asks for approval before it is sent.',
    });
  }
  if (policy.rules.approvals.newRecipientDomain && recipientDomainContacted === false) {
    findings.push({
      rule: 'approvals.newRecipientDomain',
      outcome: 'approval',
      message: `Nobody at ${domain} has been emailed before: a Manager approves the first.`,
    });
  }
};

const quoted = (values: readonly string[]) => values.map((value) => `“${value}”`).join(', ');

/** Risky content goes to a Manager as a `content_risk` approval; an approved send has been read already. */
const contentRisk: SendRule = ({ action }, { policy }, findings) => {
  if (action.approved) return;
  const rules = policy.rules.content;
  const text = `${action.subject}\n${action.body}`;
  const prohibited = prohibitedClaimsIn(text, rules.prohibitedClaims);
  if (prohibited.length > 0) {
    findings.push({
      rule: 'content.prohibitedClaims',
      outcome: 'approval',
      message: `The email makes claims the policy prohibits: ${quoted(prohibited)}.`,
    });
  }
  if (rules.detectPii) {
    const pii = findPii(text);
    if (pii.length > 0)
      findings.push({ rule: 'content.pii', outcome: 'approval', message: `The email appears to contain personal data: ${pii.join(', ')}.` });
  }
  // A researched draft's claims are checked sentence by sentence against its citations by the evidence rules.
  if (rules.claimsNeedEvidence && !action.draft) {
    const unsupported = unsupportedClaims(
      text,
      action.evidence.map((fact) => fact.fact),
    );
    if (unsupported.length > 0) {
      findings.push({
        rule: 'content.claimsNeedEvidence',
        outcome: 'approval',
        message: `No supplied fact supports ${quoted(unsupported)}: add it to the campaign's facts with its source, or a Manager vouches for it.`,
      });
    }
  }
};

const evidenceQuality: SendRule = ({ action }, context, findings) => evidenceFindings(action, context, findings);

/** Forbidding rules first, then deferring ones, then the ones that ask a human. */
export const sendRules: readonly SendRule[] = [
  killSwitch,
  suppression,
  doNotContact,
  blockedTld,
  domainLists,
  listRule('region', 'allowedRegions', 'excludedRegions'),
  listRule('vertical', 'allowedVerticals', 'excludedVerticals'),
  canary,
  evidenceForSends,
  sendingWindow,
  caps,
  approvals,
  contentRisk,
  evidenceQuality,
];

export function sendFacts(action: SendEmailAction): SendFacts {
  return { action, domain: emailDomain(action.to) };
}

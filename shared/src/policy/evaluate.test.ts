import { describe, expect, it } from 'vitest';
import type { SendEmailAction } from './action';
import { noSendUsage } from './caps';
import type { PolicyContext } from './context';
import { sendApprovalKind } from './decision';
import { policyRulesSchema } from './document';
import { evaluatePolicy } from './evaluate';

/** Wednesday 12 March 2025, 15:30 UTC: inside business hours in New York, Berlin and London. */
const wednesdayAfternoon = new Date('2025-03-12T15:30:00Z');

function contextWith(rules: unknown = {}, overrides: Partial<PolicyContext> = {}): PolicyContext {
  return {
    policy: { tenantId: 't1', version: 7, rules: policyRulesSchema.parse(rules), updatedBy: 'admin', updatedAt: '2025-01-01T00:00:00.000Z' },
    killSwitch: { campaigns: {} },
    now: wednesdayAfternoon,
    usage: noSendUsage,
    ...overrides,
  };
}

function email(overrides: Partial<SendEmailAction> = {}): SendEmailAction {
  return {
    type: 'send_email',
    campaignId: 'cmp-1',
    mailbox: 'seller@vendor.example',
    to: 'dana@acme.example',
    subject: 'An idea for Acme',
    body: 'Hi Dana, a short idea for Acme. Worth a chat?',
    isFirstTouch: false,
    stepApproval: 'none',
    approved: false,
    recipient: {},
    evidence: [{ fact: 'Works at Acme (acme.example)', source: 'prospect import' }],
    ...overrides,
  };
}

const rulesOf = (decision: { reasons: { rule: string; outcome: string }[] }) => decision.reasons.map((reason) => `${reason.rule}:${reason.outcome}`);

describe('the policy engine on sends', () => {
  it('lets a plain follow-up through and says no rule objected', () => {
    const decision = evaluatePolicy(email(), contextWith());
    expect(decision).toMatchObject({ allow: true, approvalRequired: false, requireCanary: false, dealCreateAllowed: false, policyVersion: 7 });
    expect(decision.throttle).toBeUndefined();
    expect(rulesOf(decision)).toEqual(['default:pass']);
  });

  it('asks a Manager before a first touch, by default', () => {
    const decision = evaluatePolicy(email({ isFirstTouch: true }), contextWith());
    expect(decision).toMatchObject({ allow: true, approvalRequired: true });
    expect(rulesOf(decision)).toEqual(['approvals.firstTouch:approval']);
    expect(sendApprovalKind(decision, true)).toBe('first_touch');
  });

  it('asks for an every-time step on each send, and not again once the send is approved', () => {
    expect(evaluatePolicy(email({ stepApproval: 'every' }), contextWith()).approvalRequired).toBe(true);
    expect(evaluatePolicy(email({ stepApproval: 'every', approved: true }), contextWith()).approvalRequired).toBe(false);
  });

  it('asks before the first email to a company the tenant never emailed, when the policy says so', () => {
    const rules = { approvals: { newRecipientDomain: true } };
    const unknown = evaluatePolicy(email(), contextWith(rules, { recipientDomainContacted: false }));
    expect(rulesOf(unknown)).toEqual(['approvals.newRecipientDomain:approval']);
    expect(unknown.reasons[0]!.message).toContain('acme.example');
    expect(evaluatePolicy(email(), contextWith(rules, { recipientDomainContacted: true })).approvalRequired).toBe(false);
  });

  it('blocks a .gov recipient without asking anyone', () => {
    const decision = evaluatePolicy(email({ to: 'officer@agency.gov', isFirstTouch: true }), contextWith());
    expect(decision).toMatchObject({ allow: false, approvalRequired: false });
    expect(rulesOf(decision)).toContain('recipients.blockedTlds:block');
  });

  it('blocks everything while the tenant or the campaign kill switch is on', () => {
    const on = { active: true, reason: 'drill', changedBy: 'admin', changedAt: '2025-01-01T00:00:00Z' };
    const tenantHalt = evaluatePolicy(email(), contextWith({}, { killSwitch: { tenant: on, campaigns: {} } }));
    expect(tenantHalt.allow).toBe(false);
    expect(tenantHalt.reasons[0]!.message).toMatch(/tenant kill switch/);
    const campaignHalt = evaluatePolicy(email(), contextWith({}, { killSwitch: { campaigns: { 'cmp-1': on } } }));
    expect(campaignHalt.reasons[0]!.message).toMatch(/campaign kill switch/);
    expect(evaluatePolicy(email({ campaignId: 'cmp-2' }), contextWith({}, { killSwitch: { campaigns: { 'cmp-1': on } } })).allow).toBe(true);
  });

  it('blocks a suppressed address or domain and names why it was suppressed', () => {
    const address = evaluatePolicy(email(), contextWith({}, { suppression: { scope: 'address', reason: 'unsubscribe' } }));
    expect(address).toMatchObject({ allow: false });
    expect(address.reasons[0]).toMatchObject({
      rule: 'suppression',
      outcome: 'block',
      message: "dana@acme.example is on the tenant's suppression list (reason: unsubscribe).",
    });
    const domain = evaluatePolicy(email(), contextWith({}, { suppression: { scope: 'domain', reason: 'manual' } }));
    expect(domain.reasons[0]!.message).toBe("acme.example is on the tenant's suppression list as a whole domain (reason: manual).");
  });

  it('never emails a prospect marked do-not-contact', () => {
    const decision = evaluatePolicy(email({ recipient: { doNotContact: true } }), contextWith());
    expect(rulesOf(decision)).toEqual(['recipients.doNotContact:block']);
  });

  it('keeps excluded domains and their subdomains out, and pilot mode to its allowed list', () => {
    const excluded = contextWith({ recipients: { excludedDomains: ['acme.example'] } });
    expect(rulesOf(evaluatePolicy(email({ to: 'x@eu.acme.example' }), excluded))).toEqual(['recipients.excludedDomains:block']);
    const pilot = contextWith({ recipients: { allowedDomains: ['pilot.example'] } });
    expect(evaluatePolicy(email({ to: 'x@pilot.example' }), pilot).allow).toBe(true);
    expect(evaluatePolicy(email({ to: 'x@sales.pilot.example' }), pilot).allow).toBe(true);
    expect(rulesOf(evaluatePolicy(email({ to: 'x@other.example' }), pilot))).toEqual(['recipients.allowedDomains:block']);
  });

  it('applies allowed and excluded regions and verticals, and treats an unknown one as not allowed', () => {
    const regions = contextWith({ recipients: { allowedRegions: ['US', 'de'], excludedVerticals: ['Defense'] } });
    expect(evaluatePolicy(email({ recipient: { region: 'DE', vertical: 'software' } }), regions).allow).toBe(true);
    expect(rulesOf(evaluatePolicy(email({ recipient: { region: 'FR' } }), regions))).toEqual(['recipients.allowedRegions:block']);
    const unknown = evaluatePolicy(email({ recipient: {} }), regions);
    expect(unknown.reasons[0]!.message).toMatch(/region is unknown/);
    expect(rulesOf(evaluatePolicy(email({ recipient: { region: 'us', vertical: 'defense' } }), regions))).toEqual([
      'recipients.excludedVerticals:block',
    ]);
  });

  it('demands a canary run from a campaign started without one, when the policy requires it', () => {
    const rules = { canary: { required: true } };
    const withoutCanary = evaluatePolicy(email(), contextWith(rules, { campaign: { canaryStarted: false } }));
    expect(withoutCanary).toMatchObject({ allow: false, requireCanary: true });
    expect(rulesOf(withoutCanary)).toEqual(['canary.required:block']);
    expect(evaluatePolicy(email(), contextWith(rules, { campaign: { canaryStarted: true } }))).toMatchObject({ allow: true, requireCanary: false });
    expect(evaluatePolicy(email(), contextWith({}, { campaign: { canaryStarted: false } })).requireCanary).toBe(false);
  });

  it('refuses a send with no evidence when the policy requires evidence for sends', () => {
    const rules = { evidence: { requiredForSends: true } };
    expect(rulesOf(evaluatePolicy(email({ evidence: [] }), contextWith(rules)))).toEqual(['evidence.requiredForSends:block']);
    expect(evaluatePolicy(email(), contextWith(rules)).allow).toBe(true);
  });

  it('defers a send outside the recipient’s business hours to the next opening, instead of refusing it', () => {
    const saturday = new Date('2025-03-15T14:00:00Z');
    const decision = evaluatePolicy(
      email({ recipient: { timeZone: 'America/New_York' } }),
      contextWith({ sendingWindow: { enabled: true } }, { now: saturday }),
    );
    expect(decision).toMatchObject({
      allow: false,
      approvalRequired: false,
      throttle: { rule: 'sendingWindow', retryAt: '2025-03-17T12:00:00.000Z' },
    });
    expect(decision.reasons[0]).toMatchObject({ rule: 'sendingWindow', outcome: 'defer' });
    expect(decision.reasons[0]!.message).toContain('sat 10:00');
  });

  it('asks for approval now even when the send itself must wait for the window', () => {
    const night = new Date('2025-03-12T02:00:00Z');
    const decision = evaluatePolicy(
      email({ isFirstTouch: true, recipient: { timeZone: 'Europe/Berlin' } }),
      contextWith({ sendingWindow: { enabled: true } }, { now: night }),
    );
    expect(decision).toMatchObject({
      allow: false,
      approvalRequired: true,
      throttle: { rule: 'sendingWindow', retryAt: '2025-03-12T07:00:00.000Z' },
    });
  });

  it('defers a send when a cap is full, until the latest of the full caps reopens', () => {
    const usage = { ...noSendUsage, sendsThisMinute: 20, newRecipientsToday: 40 };
    const decision = evaluatePolicy(email({ isFirstTouch: true, approved: true }), contextWith({}, { usage }));
    expect(rulesOf(decision)).toEqual(['caps.sendsPerMailboxPerMinute:defer', 'caps.newRecipientsPerMailboxPerDay:defer']);
    expect(decision.throttle).toEqual({ rule: 'caps.newRecipientsPerMailboxPerDay', retryAt: '2025-03-13T00:00:00.000Z' });
    expect(evaluatePolicy(email({ isFirstTouch: false }), contextWith({}, { usage: { ...noSendUsage, newRecipientsToday: 40 } })).allow).toBe(true);
  });

  it('does not defer what it forbids: a block wins over a full cap', () => {
    const decision = evaluatePolicy(email({ to: 'x@agency.gov' }), contextWith({}, { usage: { ...noSendUsage, sendsToday: 500 } }));
    expect(decision.allow).toBe(false);
    expect(decision.throttle).toBeUndefined();
  });

  it('sends risky content to a Manager as a content_risk approval naming each risk', () => {
    const body = 'Our tool is guaranteed to pay off: teams saw 40% more replies. Card 4111 1111 1111 1111.';
    const decision = evaluatePolicy(email({ body }), contextWith());
    expect(decision).toMatchObject({ allow: true, approvalRequired: true });
    expect(rulesOf(decision)).toEqual(['content.prohibitedClaims:approval', 'content.pii:approval', 'content.claimsNeedEvidence:approval']);
    expect(decision.reasons.map((reason) => reason.message).join(' ')).toMatch(/“guaranteed”.*credit card number.*“40%”/);
    expect(decision.reasons.map((reason) => reason.message).join(' ')).not.toContain('4111');
    expect(sendApprovalKind(decision, true)).toBe('content_risk');
  });

  it('accepts a claim a supplied fact states, and honours a custom prohibited list', () => {
    const claim = email({ body: 'Teams like yours saw 40% more replies.' });
    expect(evaluatePolicy(claim, contextWith()).approvalRequired).toBe(true);
    const backed = { ...claim, evidence: [{ fact: 'Contoso saw 40% more replies (case study 2024)', source: 'campaign facts' }] };
    expect(evaluatePolicy(backed, contextWith()).approvalRequired).toBe(false);
    const custom = contextWith({ content: { prohibitedClaims: ['no strings attached'] } });
    expect(rulesOf(evaluatePolicy(email({ body: 'A trial, no-strings attached.' }), custom))).toEqual(['content.prohibitedClaims:approval']);
    expect(evaluatePolicy(email({ body: 'It is guaranteed.' }), custom).approvalRequired).toBe(false);
  });

  it('gives the same decision for the same action and context', () => {
    const action = email({ isFirstTouch: true, body: 'We are the fastest.', recipient: { timeZone: 'Asia/Tokyo' } });
    const context = contextWith({ sendingWindow: { enabled: true } });
    expect(evaluatePolicy(action, context)).toEqual(evaluatePolicy(action, context));
  });
});

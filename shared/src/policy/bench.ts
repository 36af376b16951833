import type { SendEmailAction } from './action';
import { noSendUsage } from './caps';
import type { PolicyContext } from './context';
import { policyRulesSchema } from './document';
import { evaluatePolicy } from './evaluate';

/**
 * Decisions per second on this core, over sends that exercise every kind of rule: a sending window in the
 * recipient's zone, caps, approvals, and content checks on a body with a backed claim, a figure and a name.
 */
export function benchPolicyDecisions(iterations: number): number {
  const rules = policyRulesSchema.parse({
    sendingWindow: { enabled: true },
    recipients: { excludedDomains: ['competitor.example'], allowedRegions: ['us', 'de'] },
  });
  const context: PolicyContext = {
    policy: { tenantId: 'bench', version: 1, rules, updatedBy: 'bench', updatedAt: new Date(0).toISOString() },
    killSwitch: { campaigns: {} },
    now: new Date('2025-03-12T15:30:00Z'),
    usage: { ...noSendUsage, sendsThisMinute: 3, sendsThisHour: 40, sendsToday: 120, newRecipientsToday: 12, recipientDomainSendsToday: 2 },
    recipientDomainContacted: true,
    campaign: { canaryStarted: true },
  };
  const actions: SendEmailAction[] = ['America/New_York', 'Europe/Berlin', undefined].map((timeZone, index) => ({
    type: 'send_email',
    campaignId: 'bench-campaign',
    mailbox: 'seller@vendor.example',
    to: `buyer${index}@customer${index}.example`,
    subject: 'An idea for Customer',
    body: `Hi Sam, teams like Customer cut onboarding time by 30% with us. ${index === 2 ? 'We are the fastest to set up. ' : ''}Worth 20 minutes next week?\n\nBest regards,\nAlex\n+1 (555) 010-2030`,
    isFirstTouch: index !== 1,
    stepApproval: 'every',
    approved: false,
    recipient: { timeZone, region: index === 1 ? 'DE' : 'US', vertical: 'software' },
    evidence: [
      { fact: 'Sam Lee is Head of Operations', source: 'prospect import' },
      { fact: 'Acme cut onboarding time by 30% (case study, 2024)', source: 'campaign facts' },
    ],
  }));
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) checksum += evaluatePolicy(actions[i % actions.length]!, context).reasons.length;
  const seconds = (performance.now() - start) / 1000;
  if (checksum === 0) throw new Error('The policy engine decided nothing');
  return iterations / seconds;
}

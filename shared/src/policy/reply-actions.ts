import type { ReplyClassification } from '../classification/schema';
import type { PolicyRules } from './document';

/** What triage may do with a classified reply on its own. */
export type ReplyActionGate =
  | { act: true; reason: string }
  /** A person confirms first: nothing is suppressed, stopped, paused or created until then. */
  | { act: false; reason: string };

const percent = (value: number) => `${Math.round(value * 100)}%`;

/**
 * Whether a classified reply is acted on at once or goes to a person. Explicit signals act at once: a delivery
 * report with a permanent (5.x.x) status, an auto-reply header together with out-of-office wording, an abuse
 * report. Everything else must clear the tenant's threshold for what the label would do; a bounce the model
 * guessed without any report evidence is never acted on.
 */
export function gateReplyAction(classification: ReplyClassification, rules: PolicyRules['replies']): ReplyActionGate {
  const { label, confidence, rule } = classification;
  const sure = (threshold: number, action: string): ReplyActionGate =>
    confidence >= threshold
      ? { act: true, reason: `${label} at ${percent(confidence)} clears the ${percent(threshold)} needed to ${action}.` }
      : { act: false, reason: `${label} at ${percent(confidence)} is below the ${percent(threshold)} needed to ${action}; a person confirms first.` };
  switch (label) {
    case 'bounce': {
      if (rule !== 'delivery-report') return { act: false, reason: 'Read as a bounce without delivery-report evidence; a person confirms first.' };
      const status = classification.bounce?.status;
      if (status?.startsWith('5')) return { act: true, reason: `Delivery report with permanent status ${status}.` };
      return { act: true, reason: 'Delivery report (server wording and structure).' };
    }
    case 'unsubscribe':
      if (rule === 'spam-complaint') return { act: true, reason: 'The recipient reported the email as abuse (feedback report).' };
      return sure(rules.unsubscribeAt, 'suppress the address and stop its sequences');
    case 'ooo':
      if (classification.ooo?.leftCompany) return sure(rules.leftCompanyAt, 'suppress the address of someone who left');
      if (rule === 'auto-reply-header' && classification.evidence.excerpt.trim() !== '') {
        return { act: true, reason: 'Auto-reply header with out-of-office wording.' };
      }
      return sure(rules.oooPauseAt, 'pause their sequences');
    default:
      return sure(rules.humanReplyAt, 'stop the answered sequence');
  }
}

import type { ReplyClassification } from '@asep/shared/classification/schema';
import type { SuggestedContact } from '@asep/shared/insights/insight';
import type { ProspectRecord } from '../prospects/records';

/** What the rep does next about a triaged reply, given its label and what deal gating decided. */
export function nextActionFor(
  label: ReplyClassification['label'],
  gate: string,
  classification: ReplyClassification,
  prospect: ProspectRecord | undefined,
) {
  const referral = classification.ooo?.referral;
  const referralName = referral?.name ?? referral?.email;
  switch (label) {
    case 'positive':
      return gate === 'ask'
        ? {
            kind: 'await_deal_decision',
            label: 'A Manager decides whether to create the deal',
            detail: 'A "Create deal?" card went to the campaign’s managers.',
          }
        : { kind: 'book_meeting', label: 'Propose meeting times', detail: 'Offer two or three slots from your calendar.' };
    case 'objection':
      return { kind: 'handle_objection', label: 'Answer the objection personally', detail: 'The sequence has stopped; reply yourself.' };
    case 'neutral':
      return { kind: 'follow_up', label: 'Follow up personally', detail: 'The sequence has stopped; answer their question.' };
    case 'unsubscribe':
      return { kind: 'none', label: 'Nothing more: the address is suppressed', detail: 'All sequences for this contact were stopped.' };
    case 'ooo':
      if (classification.ooo?.leftCompany) {
        return referralName
          ? {
              kind: 'contact_referral',
              label: `They left the company: consider contacting ${referralName}`,
              detail: 'The address is suppressed and its sequences stopped.',
            }
          : {
              kind: 'find_new_contact',
              label: 'They left the company: find who took over',
              detail: 'The address is suppressed and its sequences stopped.',
            };
      }
      return referralName
        ? { kind: 'contact_referral', label: `Consider contacting ${referralName}`, detail: referral?.email ?? 'Named in the out-of-office reply.' }
        : {
            kind: 'wait',
            label: classification.ooo?.returnDate ? `Wait until ${classification.ooo.returnDate}` : 'Wait for their return',
            detail: 'The sequence is paused until the business day after they are back.',
          };
    case 'bounce':
      return classification.bounce?.kind === 'soft' && prospect?.status !== 'bounced'
        ? { kind: 'retry_later', label: 'Temporary failure: the email is sent again in a business day' }
        : { kind: 'find_new_address', label: 'The address is dead and suppressed: find another contact' };
  }
}

/** Who to write to instead, when a reply names someone (a deputy, a successor, the right person). */
export function suggestedContactFor(classification: ReplyClassification): SuggestedContact | undefined {
  const referral = classification.ooo?.referral ?? classification.referral;
  if (!referral?.name && !referral?.email) return undefined;
  const reason = classification.ooo?.leftCompany
    ? 'Named as the contact now that they have left the company'
    : classification.ooo
      ? 'Named to contact while they are away'
      : 'Named in the reply as the right person to talk to';
  return { ...referral, reason };
}

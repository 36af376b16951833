import type { Approval, ApprovalKind } from '@asep/shared/approvals/approval';
import type { CardActionData } from './actions';
import { bulletList, type CardElement, heading, instant, labelled, ourText, plainText, type RefreshAudience, section, textLimits } from './elements';
import type { CardViewer } from './viewer';
import { citedSentences, draftAuthorNote, factOrigin } from '@asep/shared/drafting/evidence-view';

/** What the approval and deal-prompt cards need besides the approval itself. */
export interface ApprovalCardContext extends RefreshAudience, CardViewer {
  /** Where "Open in console" leads, e.g. the console's page for this approval. */
  consoleUrl: string;
}

export const approvalKindTitles: Record<ApprovalKind, string> = {
  first_touch: 'First email to a new prospect',
  content_risk: 'Email with risky content',
  step: 'Sequence step',
  deal_create: 'Deal to create',
  reply_review: 'Reply to confirm',
};

export function recipientOf(approval: Pick<Approval, 'prospectId' | 'prospectName' | 'to'>): string {
  const { prospectName, to } = approval;
  if (prospectName && to) return `${prospectName} <${to}>`;
  return prospectName ?? to ?? approval.prospectId;
}

/** Who and where: the lines every approval card opens with, pending or decided. */
export function approvalContext(approval: Approval, recipientLabel: string): CardElement[] {
  return [
    ...labelled(recipientLabel, recipientOf(approval)),
    ...labelled('Company', approval.company),
    ...labelled('Campaign', approval.campaignName),
  ];
}

/** A card's `refresh` for an approval: every viewer's card looks again, so all converge on the approval as it stands. */
export function approvalRefresh(approval: Approval, audience: RefreshAudience): { data: CardActionData; audience: RefreshAudience } {
  return { data: { action: 'refresh', approvalId: approval.id }, audience };
}

/** The reply a deal or reply-review card is about: the excerpt triage quoted, else the whole body, verbatim. */
export function replySection(approval: Approval): CardElement[] {
  return section('Reply', plainText(approval.evidence.excerpt ?? approval.body, textLimits.excerpt, { italic: true }));
}

/** Who sent the reply, under a decided deal or reply-review card's outcome. */
export function replyFromSection(approval: Approval): CardElement[] {
  return section('Reply from', approvalContext(approval, 'Contact'));
}

/**
 * What the email rests on. A researched draft shows each sentence that cites facts with those facts (source, link,
 * when read) and who wrote it; other emails list their facts.
 */
export function evidenceSection(approval: Approval): CardElement[] {
  const cited = citedSentences(approval.evidence);
  if (cited.length === 0) {
    const facts = approval.evidence.facts.map(({ fact, source }) => (source ? `${fact} (source: ${source})` : fact));
    return section('Evidence', bulletList(facts, { maxItems: 6, maxChars: textLimits.fact, more: 'more facts in the console' }));
  }
  const note = draftAuthorNote(approval.evidence.author);
  return section('Evidence', [
    ...(note ? ourText(note, { isSubtle: true }) : []),
    ...cited
      .slice(0, 4)
      .flatMap((sentence) => [
        ...ourText(`“${sentence.text}”`, { weight: 'bolder', spacing: 'medium' }),
        ...bulletList(
          [
            ...sentence.facts.map((fact) => `${fact.fact} (${factOrigin(fact)})`),
            ...sentence.missing.map((id) => `cites ${id}, which is not on record`),
          ],
          { maxItems: 3, maxChars: textLimits.fact * 2, more: 'more facts in the console' },
        ),
      ]),
    ...(cited.length > 4 ? ourText(`+${cited.length - 4} more cited sentences in the console`, { isSubtle: true }) : []),
  ]);
}

export function expiryNote(approval: Approval): CardElement[] {
  return ourText(`Expires ${instant(approval.expiresAt)}`, { isSubtle: true, spacing: 'medium' });
}

/** Where an approved email stands when a kill switch held it: waiting for the switch, or sent since. */
function deliveryNote({ delivery }: Approval): CardElement[] {
  switch (delivery?.status) {
    case 'held':
      return ourText(
        'A kill switch is on: the email waits and is sent once the switch is turned off, unless whoever turns it off ends the sequences.',
        {
          color: 'attention',
        },
      );
    case 'sent':
      return ourText(`Held by the kill switch, then sent ${instant(delivery.at)}`, { color: 'good' });
    case undefined:
      return [];
  }
}

/** The words a decided card uses for an approval's two human outcomes. */
export interface OutcomeWords {
  approved: string;
  rejected: string;
}

/** The head of a decided card: what happened, who decided, when, and why. */
export function outcomeHead(approval: Approval, words: OutcomeWords): CardElement[] {
  const decider = approval.decidedBy && (approval.decidedBy.name ?? approval.decidedBy.id);
  const when = approval.decidedAt ? ` ${instant(approval.decidedAt)}` : '';
  switch (approval.status) {
    case 'approved':
    case 'rejected': {
      const outcome = words[approval.status];
      const held = approval.delivery?.status === 'held';
      return [
        heading(held ? `${outcome} — held by the kill switch` : outcome, { color: approval.status === 'approved' && !held ? 'good' : 'attention' }),
        ...labelled('By', decider ?? 'an unknown user'),
        ...ourText(`${outcome}${when}`, { isSubtle: true }),
        ...deliveryNote(approval),
        ...labelled('Reason', approval.reason, textLimits.reason),
      ];
    }
    case 'expired':
      return [
        heading('Expired', { color: 'warning' }),
        ...ourText(`No one decided before ${instant(approval.expiresAt)}; nothing was done.`, { isSubtle: true }),
      ];
    case 'cancelled':
      return [
        heading('Cancelled', { color: 'warning' }),
        ...ourText(`This approval was withdrawn${when}; no decision is needed.`, { isSubtle: true }),
        ...labelled('By', decider),
        ...labelled('Reason', approval.reason, textLimits.reason),
      ];
    case 'pending':
      throw new Error(`Approval ${approval.id} is still pending: it has no outcome yet`);
  }
}

import { createPatch } from 'diff';
import { sha256 } from '@asep/shared/audit/chain';
import type { DraftSentence } from '@asep/shared/approvals/approval';
import { sentencesOf } from '@asep/shared/drafting/draft';
import { evaluatePolicy } from '@asep/shared/policy/evaluate';
import type { SendEmailAction } from '@asep/shared/policy/action';
import type { Services } from '../composition/services';
import { HttpProblem } from '../http/problem';
import type { Principal } from '../identity/principal';
import { loadSendContext } from '../sending/send-context';
import { unsubscribePlaceholder, withUnsubscribeFooter } from '../unsubscribe/links';
import type { ApprovalRecord } from './records';

export interface CheckedEdit {
  subject: string;
  body: string;
  sentences: DraftSentence[];
  /** What the policy says of the edited email (content and evidence rules), for the approver and the audit. */
  reasons: string[];
}

const placeholderFooter = `\n\n--\n${unsubscribePlaceholder}`;

/** The approval shows the unsubscribe line's placeholder; an edit copied from it is the email without it. */
const withoutFooter = (body: string) => (body.endsWith(placeholderFooter) ? body.slice(0, -placeholderFooter.length).trimEnd() : body);

/**
 * An approver's edit of a drafted email, checked by the policy as a new email would be: sentences the approver kept
 * keep their citations, new ones cite nothing, so a figure the approver adds is named (the approver vouches for it by
 * approving). A rule that forbids the email outright refuses the edit, and nothing changes.
 */
export async function checkEdit(services: Services, record: ApprovalRecord, edited: { subject: string; body: string }): Promise<CheckedEdit> {
  if (record.kind === 'deal_create' || !record.to || !record.body)
    throw new HttpProblem(400, 'Bad request', 'Only an email can be edited before it is approved.', [
      { field: 'edited', message: 'this approval is not for an email' },
    ]);
  const body = withoutFooter(edited.body);
  const cited = new Map((record.evidence.sentences ?? []).map((sentence) => [sentence.text, sentence.factIds]));
  const sentences = sentencesOf(body).map((sentence) => ({ text: sentence.text, factIds: cited.get(sentence.text) ?? [] }));
  const mailbox = record.draftBasis?.mailbox ?? '';
  const action: SendEmailAction = {
    type: 'send_email',
    campaignId: record.campaignId,
    mailbox: mailbox || record.to,
    to: record.to,
    subject: edited.subject,
    body,
    isFirstTouch: record.draftBasis?.isFirstTouch ?? record.kind === 'first_touch',
    stepApproval: record.stepApproval ?? 'every',
    approved: false,
    recipient: {},
    evidence: record.evidence.facts,
    ...(record.draftBasis ? { draft: { sentences, authoredText: record.draftBasis.authoredText } } : {}),
  };
  const context = await loadSendContext(services, record.tenantId, { mailbox: action.mailbox, to: action.to }, { counters: 'none' });
  const decision = evaluatePolicy(action, context);
  const refusals = decision.reasons.filter((reason) => reason.outcome === 'block' && !reason.rule.startsWith('killSwitch'));
  if (refusals.length > 0) {
    throw new HttpProblem(
      422,
      'Edit refused',
      `The policy forbids the edited email: ${refusals.map((reason) => reason.message).join(' ')} Nothing was changed.`,
      refusals.map((reason) => ({ field: 'edited.body', message: reason.message })),
    );
  }
  const reasons = decision.reasons
    .filter((reason) => reason.rule.startsWith('content.') || reason.rule.startsWith('evidence.'))
    .map((reason) => `${reason.rule}: ${reason.message}`);
  return { subject: edited.subject, body, sentences, reasons };
}

/** The approval as decided with the edit: the console shows what will be sent. */
export function editedApproval(current: ApprovalRecord, edit: CheckedEdit, by: string, at: string): Partial<ApprovalRecord> {
  return {
    subject: edit.subject,
    body: withUnsubscribeFooter(edit.body),
    evidence: { ...current.evidence, sentences: edit.sentences, author: { kind: 'approver' } },
    edit: { by, at, reasons: edit.reasons },
    draftBasis: { ...current.draftBasis!, edited: { subject: edit.subject, body: edit.body, sentences: edit.sentences } },
  };
}

/** The edit in the audit log as a unified diff of the draft (as the approver saw it) against what is sent, with the policy's findings. */
export async function auditEdit(services: Services, principal: Principal, draft: ApprovalRecord, edit: CheckedEdit, correlationId: string) {
  const before = `Subject: ${draft.subject ?? ''}\n\n${withoutFooter(draft.body ?? '')}\n`;
  const after = `Subject: ${edit.subject}\n\n${edit.body}\n`;
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'approval.edited',
    correlationId,
    idempotencyKey: `approval.edited:${draft.id}`,
    payload: {
      approvalId: draft.id,
      campaignId: draft.campaignId ?? null,
      prospectId: draft.prospectId,
      diff: createPatch('email', before, after, 'draft', 'approved', { context: 2 }),
      draftHash: sha256(before),
      editedHash: sha256(after),
      policy: edit.reasons,
    },
  });
}

/**
 * The approver asks for another draft instead of deciding this one: the approval is cancelled, and the waiting sequence
 * drafts the step again (another fact, or the model again) and asks anew.
 */
export async function regenerateDraft(
  services: Services,
  raiseEvent: (instanceId: string, eventName: string, data: unknown) => Promise<void>,
  principal: Principal,
  record: ApprovalRecord,
  correlationId: string,
): Promise<ApprovalRecord> {
  if (!record.draftBasis)
    throw new HttpProblem(409, 'Conflict', 'Only a drafted email can be drafted again; this approval is for a fixed template or a deal.');
  let cancelledNow = false;
  const cancelled = await services.store.approvals.update(record.pk, record.id, (current) =>
    current.status === 'pending' && (cancelledNow = true)
      ? {
          ...current,
          status: 'cancelled',
          decidedBy: { id: principal.userId, name: principal.name },
          decidedAt: services.clock.now().toISOString(),
          reason: 'A new draft was asked for.',
        }
      : undefined,
  );
  if (cancelled?.status !== 'cancelled' || cancelled.reason !== 'A new draft was asked for.') {
    throw new HttpProblem(409, 'Conflict', `This approval is already ${cancelled?.status ?? 'gone'}; nothing was changed.`);
  }
  // Asking again for the same approval is answered as before, and the sequence is not asked twice.
  if (!cancelledNow) return cancelled;
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'approval.regenerated',
    correlationId,
    idempotencyKey: `approval.regenerated:${record.id}`,
    payload: { approvalId: record.id, campaignId: record.campaignId ?? null, prospectId: record.prospectId },
  });
  await raiseEvent(cancelled.instanceId, cancelled.eventName, {
    approved: false,
    regenerate: true,
    by: { id: principal.userId, name: principal.name },
  });
  return cancelled;
}

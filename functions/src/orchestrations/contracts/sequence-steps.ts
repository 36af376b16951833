import type { DraftAuthor, DraftSentence } from '@asep/shared/approvals/approval';
import type { EvidenceFact, RecipientProfile } from '@asep/shared/policy/action';
import type { PolicyDecision } from '@asep/shared/policy/decision';
import type { SequenceInput } from './sequence';

/**
 * What the sequence orchestrator and its activities pass each other: the activities' registered names and the
 * shapes of their inputs and results. The orchestrator calls activities by these names only; the activities
 * live with their capabilities (sending/, approvals/, research/).
 */
export const sequenceActivities = {
  research: 'sequenceResearch',
  prepareStep: 'sequencePrepareStep',
  requestApproval: 'sequenceRequestApproval',
  killSwitchCheck: 'sequenceKillSwitchCheck',
  expireApproval: 'sequenceExpireApproval',
  withdrawApproval: 'sequenceWithdrawApproval',
  sendEmail: 'sequenceSendEmail',
  checkDraftSent: 'sequenceCheckDraftSent',
} as const;

/** Every activity of a sequence gets its input and the instance it runs for. */
export type StepInput = SequenceInput & { instanceId: string };

/** Preparing a step: whether the email may be sent in the same activity (no pause holds it). */
export type PrepareStepInput = StepInput & { mayBeSentNow?: boolean };

/** Sending an email step already decided (and approved, when it needed to be). */
export type SendInput = StepInput & { email: EmailToSend; approvalId?: string; held?: boolean };

export type RequestApprovalInput = StepInput & { email: EmailToSend; decision: PolicyDecision };

export type CheckDraftSentInput = StepInput & { email: EmailToSend; approvalId?: string; internetMessageId: string };

export interface EmailToSend {
  mailbox: string;
  to: string;
  subject: string;
  body: string;
  isFirstTouch: boolean;
  stepApproval: 'every' | 'once' | 'none';
  /** Optional only for steps prepared by an earlier version that still wait in a running orchestration. */
  recipient?: RecipientProfile;
  /** What the email rests on: shown to the approver, and what backs its claims. */
  evidence?: EvidenceFact[];
  /** A researched draft: each sentence with the facts it cites, who wrote it, and the tenant's own wording it started from. */
  draft?: { sentences: DraftSentence[]; author: DraftAuthor; authoredText: string };
  /** Saved to the rep's Drafts folder for the rep to send, instead of sent. */
  draftOnly?: boolean;
}

/** What comes after an email step, so the orchestration need not run again only to learn it. */
export type Following = { kind: 'end' } | { kind: 'next' } | { kind: 'wait'; days: number; timeZone: string; country?: string };

export type PreparedStep =
  | { kind: 'end'; reason: string }
  | { kind: 'wait'; until: string }
  | { kind: 'goto'; stepIndex: number }
  | {
      kind: 'email';
      email: EmailToSend;
      decision: PolicyDecision;
      /** Missing only for steps prepared by an earlier version: the next execution finds out. */
      following?: Following;
      /** The email needed nobody's approval and the same activity tried to send it. */
      sent?: SendOutcome;
    };

export interface SendOutcome {
  sent: boolean;
  /** Saved to the rep's Drafts folder (draft-only): the sequence waits until it shows in Sent Items. */
  drafted?: boolean;
  /** A kill switch is on over this send: it waits for the switch to be turned off, then is asked again. */
  held?: boolean;
  internetMessageId?: string;
  reasons?: string[];
  /** A sending window or a full cap put the send off until then: ask again at that time. */
  deferredUntil?: string;
}

export interface ApprovalDecisionEvent {
  approved: boolean;
  /** Approved while a kill switch was on: the approver was told the email waits for it. */
  heldByKillSwitch?: boolean;
  by: { id: string; name?: string };
  reason?: string;
  /** The approver's edit, checked by the policy already: sent instead of the draft. */
  edited?: { subject: string; body: string; sentences: DraftSentence[] };
  /** The approver asked for a new draft instead of deciding this one. */
  regenerate?: boolean;
}

import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { headerSafe } from '@asep/shared/mail/header-safe';
import { isHeldByKillSwitch } from '@asep/shared/policy/decision';
import type { Research } from '@asep/shared/research/fact';
import { addBusinessDays } from '@asep/shared/sequence/business-days';
import { approvalEventName } from './contracts/approval-events';
import {
  sequenceCompleted,
  sequenceEvents,
  sequenceOrchestration,
  type SequenceInput,
  type SequencePause,
  type SequenceRetry,
  type SequenceStatus,
} from './contracts/sequence';
import { sequenceActivities, type ApprovalDecisionEvent, type EmailToSend, type PreparedStep, type SendOutcome } from './contracts/sequence-steps';

/*
 * The sequence orchestrator: deterministic, no I/O. Each decision is one activity, registered with its
 * capability (sending/prepare-step.ts, sending/send-step.ts, approvals/approval-steps.ts, research/research-step.ts).
 */

/** How often Sent Items is looked at for a draft the rep is to send, and how long the sequence waits for it. */
const draftCheckIntervalMs = 3_600_000;
const draftWaitMs = 14 * 86_400_000;

/** How often a held sequence looks at the kill switch by itself, should the event that it was turned off not arrive. */
const killSwitchRecheckMs = 6 * 3_600_000;

const sendRetry = new df.RetryOptions(2_000, 4);
sendRetry.backoffCoefficient = 2;
sendRetry.maxRetryIntervalInMilliseconds = 60_000;

/** The later of two instants (ISO strings, either may be missing). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * Out-of-office pauses and soft-bounce retries reach a running sequence as external events. The orchestrator
 * listens for them from its first wait on and races them against every later wait, so one that arrives while
 * an activity runs is taken in too; a pause holds every send until it ends, a retry of the sequence's latest
 * email cuts the current wait short.
 */
class Interruptions {
  pausedUntil: string | undefined;
  /** The email a retry must name to be taken: the sequence's latest. */
  latestTouch: string | undefined;
  private pause: Task;
  private retry: Task;
  private released: Task | undefined;
  private heldByKillSwitch = false;
  /** The approval this execution waits for, shown in the durable status. */
  private approvalId: string | null = null;

  constructor(
    private readonly context: OrchestrationContext,
    input: SequenceInput,
  ) {
    this.latestTouch = input.previousTouch?.internetMessageId;
    this.pause = context.df.waitForExternalEvent(sequenceEvents.pause.name);
    this.retry = context.df.waitForExternalEvent(sequenceEvents.retry.name);
    this.holdUntil(input.pausedUntil);
    this.showStatus();
  }

  /** Waits for `task` unless a pause or a retry comes first: then answers the retry, or that it was interrupted. */
  *race(task: Task): Generator<Task, 'done' | 'interrupted' | SequenceRetry, unknown> {
    yield this.context.df.Task.any([task, this.pause, this.retry]);
    if (!task.isCompleted && !task.isFaulted) return this.settle() ?? 'interrupted';
    // Finished: yielding it again answers its result at once, or throws its failure as a plain wait would.
    yield task;
    return 'done';
  }

  /** Whether sends are on hold at this point of the orchestration's time. */
  get paused(): boolean {
    return this.pausedUntil !== undefined && Date.parse(this.pausedUntil) > this.context.df.currentUtcDateTime.getTime();
  }

  /**
   * Sleeps until `until` and past the end of any pause, pauses arriving meanwhile included. Answers the retry
   * that cut it short, if one did.
   */
  *sleepUntil(until?: string): Generator<Task, SequenceRetry | undefined, unknown> {
    for (;;) {
      const retry = this.settle();
      if (retry) return retry;
      const wakeAt = later(until, this.pausedUntil);
      if (!wakeAt || Date.parse(wakeAt) <= this.context.df.currentUtcDateTime.getTime()) return undefined;
      // Waits longer than the host's six-day timer limit are split into shorter timers by the SDK.
      const timer = this.context.df.createTimer(new Date(wakeAt));
      const winner = yield this.context.df.Task.any([timer, this.pause, this.retry]);
      if (winner !== timer) timer.cancel();
    }
  }

  /** Waits for the approver or the approval's expiry; answers the retry that cut the wait short, if one did. */
  *awaitApproval(approval: { approvalId: string; expiresAt: string }): Generator<Task, ApprovalDecisionEvent | 'expired' | SequenceRetry, unknown> {
    const decided = this.context.df.waitForExternalEvent(approvalEventName(approval.approvalId));
    this.approvalId = approval.approvalId;
    this.showStatus();
    try {
      for (;;) {
        const expiry = this.context.df.createTimer(new Date(approval.expiresAt));
        const winner = yield this.context.df.Task.any([decided, expiry, this.pause, this.retry]);
        if (winner === expiry) return 'expired';
        expiry.cancel();
        if (winner === decided) return decided.result as ApprovalDecisionEvent;
        const retry = this.settle();
        if (retry) return retry;
      }
    } finally {
      this.approvalId = null;
      this.showStatus();
    }
  }

  /**
   * Waits while a kill switch is on over the sequence. Turning the switch off wakes it (an event); it also looks
   * again every few hours in case that event went astray. Pauses arriving meanwhile are taken in; answers the
   * retry that came instead, if one did.
   */
  *holdWhileHalted(stillHalted: () => Task): Generator<Task, SequenceRetry | undefined, unknown> {
    this.heldByKillSwitch = true;
    this.showStatus();
    for (;;) {
      const released = (this.released ??= this.context.df.waitForExternalEvent(sequenceEvents.release.name));
      const recheck = this.context.df.createTimer(new Date(this.context.df.currentUtcDateTime.getTime() + killSwitchRecheckMs));
      const winner = yield this.context.df.Task.any([released, recheck, this.pause, this.retry]);
      if (winner !== recheck) recheck.cancel();
      const retry = this.settle();
      if (retry) return retry;
      // A pause only moves `pausedUntil`: the switch is as it was.
      if (winner !== released && winner !== recheck) continue;
      if (winner === released) this.released = undefined;
      if ((yield stillHalted()) === true) continue;
      this.heldByKillSwitch = false;
      this.showStatus();
      return undefined;
    }
  }

  /** Takes in what arrived since the last look: a pause moves `pausedUntil` later; a retry of the latest email is answered. */
  settle(): SequenceRetry | undefined {
    if (this.pause.isCompleted) {
      this.holdUntil((this.pause.result as SequencePause).until);
      this.pause = this.context.df.waitForExternalEvent(sequenceEvents.pause.name);
    }
    if (!this.retry.isCompleted) return undefined;
    const retry = this.retry.result as SequenceRetry;
    this.retry = this.context.df.waitForExternalEvent(sequenceEvents.retry.name);
    // An email sent since the bounced one has tried the address anew: the bounced one is not sent again.
    return retry.internetMessageId === this.latestTouch ? retry : undefined;
  }

  private holdUntil(until: string | undefined): void {
    this.pausedUntil = later(this.pausedUntil, until);
    this.showStatus();
  }

  /** The taskpane shows a pause and a hold: the durable status carries them. */
  /**
   * The taskpane shows a pause and a hold, and stopping the sequence withdraws the approval it waits for: the
   * durable status carries all three.
   */
  private showStatus(): void {
    const status: SequenceStatus = {
      ...(this.pausedUntil ? { pausedUntil: this.pausedUntil } : {}),
      ...(this.heldByKillSwitch ? { heldByKillSwitch: true } : {}),
      approvalId: this.approvalId,
    };
    this.context.df.setCustomStatus(status);
  }
}

const sequenceOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  let input = context.df.getInput<SequenceInput>();
  const instanceId = context.df.instanceId;
  const interruptions = new Interruptions(context, input);
  if (input.research && input.facts === undefined) {
    // Once per sequence: the facts are stored with the research record and travel with the input from here on.
    const research: Research = yield context.df.callActivity(sequenceActivities.research, { ...input, instanceId });
    input = { ...input, facts: research.facts };
  }
  const runAgain = (changes: Partial<SequenceInput> = {}): undefined => {
    context.df.continueAsNew({ ...input, iteration: input.iteration + 1, pausedUntil: interruptions.pausedUntil, ...changes });
    return undefined;
  };
  // The bounced step again, not before the retry is due; it was approved already.
  const sendAgain = (retry: SequenceRetry) =>
    runAgain({
      stepIndex: retry.stepIndex,
      previousTouch: retry.previousTouch,
      retryOf: retry.internetMessageId,
      pausedUntil: later(interruptions.pausedUntil, retry.notBefore),
    });
  const advance = (changes: Partial<SequenceInput>) => {
    const retry = interruptions.settle();
    return retry ? sendAgain(retry) : runAgain({ retryOf: undefined, ...changes });
  };

  // Not raced against pauses and retries: the activity may send, and a send is never run twice.
  const step: PreparedStep = yield context.df.callActivity(sequenceActivities.prepareStep, {
    ...input,
    instanceId,
    mayBeSentNow: !interruptions.paused,
  });
  if (step.kind === 'email' && step.sent?.sent) interruptions.latestTouch = step.sent.internetMessageId;
  const arrived = interruptions.settle();
  if (arrived) return sendAgain(arrived);

  switch (step.kind) {
    case 'end':
      return step.reason;
    case 'goto':
      return advance({ stepIndex: step.stepIndex });
    case 'wait': {
      const retry = yield* interruptions.sleepUntil(step.until);
      return retry ? sendAgain(retry) : advance({ stepIndex: input.stepIndex + 1 });
    }
    case 'email': {
      const stillHalted = () =>
        context.df.callActivity(sequenceActivities.killSwitchCheck, { tenantId: input.tenantId, campaignId: input.campaignId });
      // Nothing is prepared or put to an approver under a kill switch: once it is off, the step is prepared afresh.
      if (isHeldByKillSwitch(step.decision)) {
        const retry = yield* interruptions.holdWhileHalted(stillHalted);
        return retry ? sendAgain(retry) : runAgain();
      }
      // A deferral (sending window, full cap) is not a refusal: it is asked for approval now and waits at send.
      if (!step.decision.allow && !step.decision.throttle) return `blocked: ${step.decision.reasons.map((r) => r.message).join(' ')}`;
      // Nobody is asked to approve an email to someone away: it is prepared afresh once they are back.
      if (!step.sent && interruptions.paused) {
        const retry = yield* interruptions.sleepUntil();
        return retry ? sendAgain(retry) : runAgain();
      }
      let approvalId: string | undefined;
      let email = step.email;
      // Whether the approver was told the email is held: they are told again when it finally leaves.
      let held = false;
      if (!step.sent && step.decision.approvalRequired) {
        const approval: { approvalId: string; expiresAt: string } = yield context.df.callActivity(sequenceActivities.requestApproval, {
          ...input,
          instanceId,
          email: step.email,
          decision: step.decision,
        });
        approvalId = approval.approvalId;
        const answer = yield* interruptions.awaitApproval(approval);
        if (answer === 'expired') {
          yield context.df.callActivity(sequenceActivities.expireApproval, {
            tenantId: input.tenantId,
            approvalId: approval.approvalId,
            correlationId: input.correlationId,
          });
          return 'approval expired';
        }
        if ('internetMessageId' in answer) {
          yield context.df.callActivity(sequenceActivities.withdrawApproval, {
            tenantId: input.tenantId,
            approvalId: approval.approvalId,
            reason: 'the previous email bounced and is sent again first',
          });
          return sendAgain(answer);
        }
        if (answer.regenerate) return runAgain({ draftAttempt: (input.draftAttempt ?? 0) + 1 });
        if (!answer.approved) return `rejected: ${answer.reason ?? 'no reason given'}`;
        if (answer.edited) email = editedEmail(email, answer.edited);
        held = answer.heldByKillSwitch === true;
      }
      // A pause that began while the approval was pending holds the approved email.
      let retry = step.sent ? undefined : yield* interruptions.sleepUntil();
      if (retry) return sendAgain(retry);
      const send = () => context.df.callActivityWithRetry(sequenceActivities.sendEmail, sendRetry, { ...input, instanceId, email, approvalId, held });
      let outcome: SendOutcome = step.sent ?? (yield send());
      while (outcome.deferredUntil || outcome.held) {
        if (outcome.held) {
          held = true;
          retry = (yield* interruptions.holdWhileHalted(stillHalted)) ?? (yield* interruptions.sleepUntil());
        } else retry = yield* interruptions.sleepUntil(outcome.deferredUntil);
        if (retry) return sendAgain(retry);
        outcome = yield send();
      }
      // Draft-only: the rep sends it from Outlook; the sequence moves on once it shows in Sent Items.
      const giveUpAt = context.df.currentUtcDateTime.getTime() + draftWaitMs;
      while (outcome.drafted) {
        retry = yield* interruptions.sleepUntil(new Date(context.df.currentUtcDateTime.getTime() + draftCheckIntervalMs).toISOString());
        if (retry) return sendAgain(retry);
        outcome = yield context.df.callActivity(sequenceActivities.checkDraftSent, {
          ...input,
          instanceId,
          email,
          approvalId,
          internetMessageId: outcome.internetMessageId!,
        });
        if (outcome.drafted && context.df.currentUtcDateTime.getTime() >= giveUpAt) return 'draft not sent by the rep within 14 days';
      }
      if (!outcome.sent) return `not sent: ${(outcome.reasons ?? []).join(' ')}`;
      interruptions.latestTouch = outcome.internetMessageId;
      const references = [...(input.previousTouch?.references ?? []), outcome.internetMessageId!];
      const previousTouch = { internetMessageId: outcome.internetMessageId!, references };
      switch (step.following?.kind) {
        case 'end':
          // The last step: the instance ends here rather than running again only to find no step left.
          retry = interruptions.settle();
          return retry ? sendAgain(retry) : sequenceCompleted;
        case 'wait': {
          const { days, timeZone, country } = step.following;
          retry = yield* interruptions.sleepUntil(addBusinessDays(context.df.currentUtcDateTime, days, timeZone, country).toISOString());
          return retry ? sendAgain(retry) : advance({ stepIndex: input.stepIndex + 2, previousTouch });
        }
        default:
          return advance({ stepIndex: input.stepIndex + 1, previousTouch });
      }
    }
  }
};
df.app.orchestration(sequenceOrchestration.name, sequenceOrchestrator);

/** The approver's edit in place of the draft: sentences they kept keep their citations, the rest are theirs. */
function editedEmail(email: EmailToSend, edited: NonNullable<ApprovalDecisionEvent['edited']>): EmailToSend {
  return {
    ...email,
    subject: headerSafe(edited.subject),
    body: edited.body,
    ...(email.draft ? { draft: { ...email.draft, sentences: edited.sentences, author: { kind: 'approver' } } } : {}),
  };
}

import type * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { approvalEventName } from './contracts/approval-events';
import { triageActivities, type DealGated, type ReviewDecision, type TriageInput } from './contracts/triage';

/**
 * Waits for the review's answer (or its expiry) inside the triage orchestration. When a person confirmed a
 * label, it is applied and the deal gated on it in one activity, whose gating answer this returns; undefined
 * when nobody confirmed, so nothing was applied.
 */
export function* awaitReplyReview(
  context: OrchestrationContext,
  input: TriageInput,
  approvalId: string,
  expiresAt: string,
): Generator<df.Task, DealGated | undefined, unknown> {
  const decided = context.df.waitForExternalEvent(approvalEventName(approvalId));
  const expiry = context.df.createTimer(new Date(expiresAt));
  const winner = yield context.df.Task.any([decided, expiry]);
  if (winner === expiry) {
    yield context.df.callActivity(triageActivities.expireReview, { ...input, approvalId });
    return undefined;
  }
  expiry.cancel();
  const decision = decided.result as ReviewDecision;
  if (!decision.approved) return undefined;
  return (yield context.df.callActivity(triageActivities.applyReview, { ...input, instanceId: context.df.instanceId, decision })) as DealGated;
}

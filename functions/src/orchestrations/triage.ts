import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { approvalEventName } from './contracts/approval-events';
import {
  triageActivities,
  triageOrchestration,
  type DealDecision,
  type DealGated,
  type TriageInput,
  type Triaged,
} from './contracts/triage';
import { awaitReplyReview } from './reply-review';

/**
 * One activity classifies the reply, acts on it when sure enough and gates the deal; a reply it is not sure
 * about waits for a person's review first, a deal between the thresholds for a Manager's decision.
 */
const triageOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<TriageInput>();
  const instanceId = context.df.instanceId;
  const triaged: Triaged = yield context.df.callActivity(triageActivities.triage, { ...input, instanceId });
  // Later steps read what triage stored; the message need not travel through the history again.
  const { message: _received, ...reply } = input;
  if (triaged.outcome === 'ignored') return triaged.reason;
  let gated: DealGated | undefined = triaged.outcome === 'classified' ? triaged.deal : undefined;
  if (triaged.outcome === 'review') {
    gated = yield* awaitReplyReview(context, reply, triaged.approvalId, triaged.expiresAt);
    if (!gated) return 'reply review not confirmed; nothing applied';
  }
  if (gated?.outcome !== 'ask') return triaged.label;

  const decided = context.df.waitForExternalEvent(approvalEventName(gated.approvalId));
  const expiry = context.df.createTimer(new Date(gated.expiresAt));
  const winner = yield context.df.Task.any([decided, expiry]);
  if (winner === expiry) {
    yield context.df.callActivity(triageActivities.expireDealPrompt, { ...reply, approvalId: gated.approvalId });
    return 'deal prompt expired';
  }
  expiry.cancel();
  const decision = decided.result as DealDecision;
  if (decision.approved) yield context.df.callActivity(triageActivities.createApprovedDeal, { ...reply, decision });
  return decision.approved ? 'deal created after approval' : 'deal skipped';
};
df.app.orchestration(triageOrchestration.name, triageOrchestrator);

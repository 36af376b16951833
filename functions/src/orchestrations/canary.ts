import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { CanaryPromotion } from '../deliverability/canary';
import { canaryActivities, canaryPromotedEvent, canaryRunOrchestration, type CanaryRunInput } from './contracts/canary';

const canaryOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<CanaryRunInput>();
  const promotion = (yield context.df.waitForExternalEvent(canaryPromotedEvent)) as CanaryPromotion;
  return yield context.df.callActivity(canaryActivities.startEveryone, { ...input, promotion });
};
df.app.orchestration(canaryRunOrchestration.name, canaryOrchestrator);

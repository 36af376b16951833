import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { mailIntakeOrchestration, watchUpkeepOrchestration, type MailIntakeInput, type WatchUpkeepInput } from './contracts/graph-intake';

/*
 * The two Graph orchestrations: each runs one activity of graph/intake.ts with retries, so that a webhook or
 * timer answers at once and the work survives Graph's throttling.
 */

/** Graph throttling and outages pass; the activities are safe to repeat, so retry them for a few minutes. */
const graphRetry = Object.assign(new df.RetryOptions(5_000, 6), { backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 120_000 });

df.app.orchestration(mailIntakeOrchestration.name, function* (context: OrchestrationContext) {
  return yield context.df.callActivityWithRetry('graphIngestNotified', graphRetry, context.df.getInput<MailIntakeInput>());
});

df.app.orchestration(watchUpkeepOrchestration.name, function* (context: OrchestrationContext) {
  return yield context.df.callActivityWithRetry('graphTendWatch', graphRetry, context.df.getInput<WatchUpkeepInput>());
});

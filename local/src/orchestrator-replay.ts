import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';

/**
 * One step of the Durable extension's out-of-process protocol: a history goes to an orchestrator function
 * as the durable-functions package registered it, the package replays it, and the actions it decides come
 * back. The local durable host plays every episode through here; orchestrator unit tests feed it a recorded
 * history and assert the actions.
 */

export const EventType = {
  ExecutionStarted: 0,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  WhenAny: 11,
  WhenAll: 12,
} as const;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptions;
  fireAt?: string;
  externalEventName?: string;
  compoundActions?: Action[];
}

export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export type OrchestratorHandler = (trigger: unknown, context: InvocationContext) => Promise<OrchestratorState>;

export interface Replayed {
  state: OrchestratorState;
  /** Why the orchestrator failed, when it threw. */
  failure?: string;
}

const outOfProcPrefix = '$OutOfProcData$:';

/** Replays `history` (played events first, then this episode's) through the orchestrator and reads back its decision. */
export async function replayEpisode(
  orchestrator: OrchestratorHandler,
  episode: { name: string; instanceId: string; input: unknown; history: HistoryEvent[] },
): Promise<Replayed> {
  try {
    const state = await orchestrator(
      {
        history: episode.history.map(reviveTimestamps),
        input: episode.input,
        instanceId: episode.instanceId,
        isReplaying: episode.history.some((e) => e.IsPlayed),
        parentInstanceId: null,
        upperSchemaVersion: 3,
        // Azure's extension passes these: timers longer than the maximum are split by the SDK itself.
        maximumShortTimerDuration: '6.00:00:00',
        longRunningTimerIntervalDuration: '3.00:00:00',
      },
      new InvocationContext({ functionName: episode.name, invocationId: randomUUID() }),
    );
    return { state };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const at = message.indexOf(outOfProcPrefix);
    const payload = at >= 0 ? (JSON.parse(message.slice(at + outOfProcPrefix.length)) as OrchestratorState) : undefined;
    return { state: payload ?? { isDone: false, actions: [[]] }, failure: payload?.error ?? message };
  }
}

export function event(type: number, eventId: number, timestamp: string, fields: Record<string, unknown> = {}): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: timestamp, ...fields };
}

function reviveTimestamps(e: HistoryEvent): HistoryEvent {
  const revived: HistoryEvent = { ...e, Timestamp: new Date(e.Timestamp) as unknown as string };
  if (typeof e.FireAt === 'string') revived.FireAt = new Date(e.FireAt);
  return revived;
}

/** The leaf actions in order: a Task.all or Task.any stands for the tasks it holds. */
export function flattenActions(actions: Action[]): Action[] {
  return actions.flatMap((action) =>
    action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny ? flattenActions(action.compoundActions ?? []) : [action],
  );
}

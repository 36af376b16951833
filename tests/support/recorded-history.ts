import { installFunctionsCoreStandIn, registeredFunctions } from '@asep/local/functions-host';
import {
  ActionType,
  event,
  EventType,
  flattenActions,
  replayEpisode,
  type Action,
  type HistoryEvent,
  type OrchestratorHandler,
} from '@asep/local/orchestrator-replay';

/**
 * A history as the Durable extension records it, written event by event, for orchestrator unit tests: the
 * orchestrator replays it through the durable-functions package (the local durable host's own entry point)
 * and the test asserts what it decides next. Events before the latest `episode()` are marked played.
 */
export class RecordedHistory {
  private readonly events: HistoryEvent[] = [];
  private playedUpTo = 0;
  private nextEventId = 0;

  constructor(
    readonly orchestration: string,
    readonly input: unknown,
    private at = new Date('2026-03-02T09:00:00.000Z'),
  ) {
    this.push(EventType.OrchestratorStarted, -1);
    this.push(EventType.ExecutionStarted, -1, { Name: orchestration, Input: JSON.stringify(input ?? null) });
  }

  /** Ends the episode so far (its events become played) and starts the next one, `minutes` later. */
  episode(minutes = 0): this {
    this.push(EventType.OrchestratorCompleted, -1);
    this.playedUpTo = this.events.length;
    this.at = new Date(this.at.getTime() + minutes * 60_000);
    this.push(EventType.OrchestratorStarted, -1);
    return this;
  }

  /** The orchestrator scheduled an activity; returns its task id. */
  scheduled(name: string, input?: unknown): number {
    const id = this.nextEventId++;
    this.push(EventType.TaskScheduled, id, { Name: name, ...(input === undefined ? {} : { Input: JSON.stringify(input) }) });
    return id;
  }

  completed(taskId: number, result: unknown): this {
    return this.push(EventType.TaskCompleted, -1, { TaskScheduledId: taskId, Result: JSON.stringify(result ?? null) });
  }

  failed(taskId: number, reason: string): this {
    return this.push(EventType.TaskFailed, -1, { TaskScheduledId: taskId, Reason: reason, Details: '' });
  }

  /** The orchestrator created a timer; returns its id. */
  timerCreated(fireAt: string): number {
    const id = this.nextEventId++;
    this.push(EventType.TimerCreated, id, { FireAt: fireAt });
    return id;
  }

  timerFired(timerId: number, fireAt: string): this {
    return this.push(EventType.TimerFired, -1, { TimerId: timerId, FireAt: fireAt });
  }

  /**
   * A retried activity's back-off ran out: the extension schedules the back-off (it takes the next task id,
   * as the replay expects) and fires it; the next `scheduled` is the new attempt.
   */
  backOffElapsed(): this {
    return this.push(EventType.TimerFired, -1, { TimerId: this.nextEventId++, FireAt: this.at.toISOString() });
  }

  raised(name: string, data: unknown): this {
    return this.push(EventType.EventRaised, -1, { Name: name, Input: JSON.stringify(data ?? null) });
  }

  get history(): HistoryEvent[] {
    return this.events.map((e, index) => ({ ...e, IsPlayed: index < this.playedUpTo }));
  }

  private push(type: number, eventId: number, fields: Record<string, unknown> = {}): this {
    this.events.push(event(type, eventId, this.at.toISOString(), fields));
    return this;
  }
}

/** What the orchestrator decided on replaying a history: every action so far, in schedule order, and whether it finished. */
export interface Decision {
  actions: DecidedAction[];
  isDone: boolean;
  output?: unknown;
  failure?: string;
}

export type DecidedAction =
  | { call: string; input: unknown; retry?: { firstRetryIntervalInMilliseconds: number; maxNumberOfAttempts: number } }
  | { timer: string }
  | { waitFor: string }
  | { continueAsNew: unknown };

/**
 * Loads the modules that register orchestrators the way the Functions host does (through the worker
 * stand-in), so `replay` finds their handlers by name. Must run before `@azure/functions` is first imported.
 */
export async function registerOrchestrations(load: () => Promise<unknown>): Promise<void> {
  installFunctionsCoreStandIn();
  await load();
}

export async function replay(recorded: RecordedHistory): Promise<Decision> {
  const registration = registeredFunctions().find((candidate) => candidate.name === recorded.orchestration);
  if (!registration) throw new Error(`No orchestrator named ${recorded.orchestration} is registered`);
  const { state, failure } = await replayEpisode(registration.handler as unknown as OrchestratorHandler, {
    name: recorded.orchestration,
    instanceId: 'replayed-instance',
    input: recorded.input,
    history: recorded.history,
  });
  return {
    actions: flattenActions(state.actions.flat()).map(decided),
    isDone: state.isDone,
    ...(state.isDone ? { output: state.output } : {}),
    ...(failure === undefined ? {} : { failure }),
  };
}

function decided(action: Action): DecidedAction {
  const input = typeof action.input === 'string' ? (JSON.parse(action.input) as unknown) : action.input;
  switch (action.actionType) {
    case ActionType.CallActivity:
      return { call: action.functionName!, input };
    case ActionType.CallActivityWithRetry:
      return {
        call: action.functionName!,
        input,
        retry: { firstRetryIntervalInMilliseconds: action.retryOptions!.firstRetryIntervalInMilliseconds, maxNumberOfAttempts: action.retryOptions!.maxNumberOfAttempts },
      };
    case ActionType.CreateTimer:
      return { timer: new Date(action.fireAt!).toISOString() };
    case ActionType.WaitForExternalEvent:
      return { waitFor: action.externalEventName! };
    case ActionType.ContinueAsNew:
      return { continueAsNew: input };
    default:
      throw new Error(`Unexpected action type ${action.actionType}`);
  }
}

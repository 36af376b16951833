import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { InvocationContext } from '@azure/functions';
import type { Container, OperationInput } from '@azure/cosmos';
import type { Clock } from '@asep/functions/clock/clock';
import { AdaptivePool } from './activity-pool';
import {
  ActionType,
  event,
  EventType,
  flattenActions,
  replayEpisode,
  type HistoryEvent,
  type OrchestratorHandler,
  type RetryOptions,
} from './orchestrator-replay';

/**
 * A stand-in for the Durable Functions extension, for machines without the Functions host. It plays
 * the extension's part of the out-of-process protocol: it keeps each instance's history, hands it to
 * the durable-functions package's own replay (history events in, actions out), runs the activities the
 * orchestrator asks for, fires timers and delivers external events. History is persisted in Cosmos, so
 * in-flight orchestrations resume after a restart and timers that came due while down fire on start.
 */

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated';

interface PendingActivity {
  name: string;
  input: unknown;
  retry?: RetryOptions & { attempt: number };
}

interface PendingTimer {
  fireAt: string;
  /** A retry's back-off timer: when it fires, the activity runs again under `rescheduleAs`. */
  retryOf?: PendingActivity;
}

interface InstanceRecord {
  id: string;
  pk: string;
  tenantId: string;
  docType: 'orchestration';
  name: string;
  input: unknown;
  runtimeStatus: RuntimeStatus;
  output?: unknown;
  customStatus?: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  /** Which execution (one per start and continueAsNew) the history belongs to. */
  execution: number;
  /** The current execution's history is stored in this many chunks, one per episode (see `save`). */
  historyChunks: number;
  historyLength: number;
  /** Events that arrived but the orchestrator has not seen yet; every one waiting is delivered in the next episode. */
  inbox: HistoryEvent[];
  /** How many leaf actions of the current execution have been acted upon. */
  actionsTaken: number;
  nextTaskId: number;
  activities: Record<string, PendingActivity>;
  timers: Record<string, PendingTimer>;
  episodes: number;
  actionCount: number;
}

/** One episode's new history events, stored beside the instance in its partition. */
interface HistoryChunk {
  id: string;
  pk: string;
  docType: 'orchestrationHistory';
  instanceId: string;
  execution: number;
  seq: number;
  events: HistoryEvent[];
}

/** An instance in flight as this process holds it: the stored record, the whole history, and what is not stored yet. */
interface LiveInstance extends InstanceRecord {
  history: HistoryEvent[];
  /** How many events of `history` are in stored chunks. */
  historyStored: number;
  /** Chunks of executions that continueAsNew ended, to delete once the new execution is stored. */
  staleChunks: string[];
  /** Not stored yet: the first write creates it (see `startFresh`). */
  unstored?: true;
}

export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

type ActivityHandler = (input: unknown, context: InvocationContext) => Promise<unknown>;

export class InstanceNotFoundError extends Error {}
export class InstanceExistsError extends Error {}
/** A first write refused because the instance id is stored already. */
class IdTakenError extends Error {}

export interface DurableHostOptions {
  /**
   * Activities that may run at once, at most. While they wait on I/O (Cosmos, the sandbox providers) the pool has
   * a slot for every activity the instances in flight schedule, up to this ceiling, which only keeps a fan-out of
   * thousands from opening thousands of emulator connections at once. When they keep this thread busy instead,
   * the pool narrows towards `minConcurrentActivities` (see `AdaptivePool`), so requests still get through.
   */
  maxConcurrentActivities?: number;
  minConcurrentActivities?: number;
  /** Runs the host's Cosmos requests for an instance under its name, so benchmarks can say what they were for. */
  attribute?: <T>(instanceId: string, work: () => T) => T;
  /** How many finished instances are kept in memory at most, and how many bytes of their inputs and outputs (see `finished`). */
  finishedInstancesKept?: number;
  finishedBytesKept?: number;
}

export class LocalDurableHost {
  private readonly orchestrators = new Map<string, OrchestratorHandler>();
  private readonly activityHandlers = new Map<string, ActivityHandler>();
  private readonly queues = new Map<string, Promise<void>>();
  /** Instances with an episode queued that has not begun: an event arriving meanwhile joins that episode. */
  private readonly queuedDrains = new Map<string, Promise<void>>();
  private readonly armedTimers = new Map<string, { handle: NodeJS.Timeout; fire: () => void }>();
  private readonly activityPool: AdaptivePool;
  private stopped = false;
  /** Totals since start, for benchmarks and budget tests. */
  readonly counters = { episodes: 0, activities: 0, historyBytesWritten: 0 };
  /**
   * Actions as the Durable Task Scheduler bills them: every execution started (continueAsNew included),
   * every activity scheduled and every activity result, every timer fired, every external event raised.
   */
  readonly billed = { starts: 0, activitiesScheduled: 0, activityResults: 0, timersFired: 0, eventsRaised: 0 };

  /** The same actions per orchestration name, so work paid once per campaign can be kept apart from work per email. */
  readonly billedByOrchestration = new Map<string, number>();

  /** The sum of `billed`. */
  get billedActions(): number {
    return Object.values(this.billed).reduce((sum, count) => sum + count, 0);
  }
  /** Emits `finished` (instanceId, runtimeStatus) when an instance completes or fails. */
  readonly events = new EventEmitter();

  constructor(
    private readonly container: Container,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    options: DurableHostOptions = {},
  ) {
    this.activityPool = new AdaptivePool(options.minConcurrentActivities ?? 4, options.maxConcurrentActivities ?? 512);
    this.attribute = options.attribute ?? ((_instanceId, work) => work());
    this.finishedKept = { instances: options.finishedInstancesKept ?? 2_000, bytes: options.finishedBytesKept ?? 32 * 1024 * 1024 };
  }

  private readonly attribute: <T>(instanceId: string, work: () => T) => T;

  /** Activities started and not yet finished, and those waiting for a slot. */
  get activityLoad(): { running: number; waiting: number } {
    return { running: this.activityPool.activeCount, waiting: this.activityPool.pendingCount };
  }

  registerOrchestrator(name: string, handler: OrchestratorHandler): void {
    this.orchestrators.set(name, handler);
  }

  registerActivity(name: string, handler: ActivityHandler): void {
    this.activityHandlers.set(name, handler);
  }

  /** Picks up every unfinished instance after a restart: re-runs activities, re-arms timers, drains inboxes. */
  async resume(): Promise<number> {
    const { resources } = await this.container.items
      .query<InstanceRecord>({
        query: "SELECT * FROM c WHERE c.docType = 'orchestration' AND (c.runtimeStatus = 'Running' OR c.runtimeStatus = 'Pending')",
      })
      .fetchAll();
    for (const stored of resources) {
      const record = this.live.get(stored.id) ?? (await this.withHistory(stored));
      for (const [taskId, activity] of Object.entries(record.activities)) this.dispatchActivity(record.id, Number(taskId), activity);
      for (const [timerId, timer] of Object.entries(record.timers)) this.armTimer(record.id, Number(timerId), timer);
      if (record.inbox.length > 0) void this.drain(record.id);
    }
    return resources.length;
  }

  /**
   * The part of the durable client the bot backend uses (status, terminate, events, starting an orchestration),
   * spoken straight to this host rather than through the Functions stand-in's HTTP API.
   */
  directClient() {
    return {
      getStatus: (instanceId: string) => this.status(instanceId),
      terminate: (instanceId: string, reason: string) => this.terminate(instanceId, reason),
      raiseEvent: (instanceId: string, eventName: string, data: unknown) => this.raiseEvent(instanceId, eventName, data),
      startNew: (name: string, options?: { instanceId?: string; input?: unknown }) => this.start(name, options?.instanceId, options?.input),
    };
  }

  async start(name: string, instanceId: string | undefined, input: unknown): Promise<string> {
    if (!this.orchestrators.has(name)) throw new InstanceNotFoundError(`No orchestrator named ${name}`);
    const id = instanceId ?? randomUUID().replaceAll('-', '');
    const known = this.live.get(id) ?? this.recallFinished(id);
    if (known && !isTerminal(known.runtimeStatus)) throw new InstanceExistsError(`Instance ${id} is already ${known.runtimeStatus}`);
    // A new id (the usual case) costs one write; only an id taken before is read, to start it afresh or refuse.
    if (!known && (await this.startFresh(this.startRecord(name, id, input)))) return id;
    const existing = await this.read(id);
    if (existing && !isTerminal(existing.runtimeStatus)) throw new InstanceExistsError(`Instance ${id} is already ${existing.runtimeStatus}`);
    await this.save(this.startRecord(name, id, input, existing));
    void this.drain(id);
    return id;
  }

  /**
   * Starts an instance under an id not taken before: its first episode is played at once and stored with the
   * start, in one batch that creates the instance (and so refuses an id stored before). Answers whether it was
   * created; when refused, nothing of that episode counts or stays.
   */
  private async startFresh(record: LiveInstance): Promise<boolean> {
    const before = { billed: { ...this.billed }, byName: this.billedByOrchestration.get(record.name), episodes: this.counters.episodes };
    record.unstored = true;
    this.live.set(record.id, record);
    let created = true;
    let failure: Error | undefined;
    await this.serialize(record.id, async () => {
      try {
        await this.playEpisode(record);
      } catch (error) {
        if (error instanceof IdTakenError) created = false;
        else failure = error instanceof Error ? error : new Error(String(error));
      }
    });
    if (failure !== undefined || !created) {
      if (this.live.get(record.id) === record) this.live.delete(record.id);
      Object.assign(this.billed, before.billed);
      if (before.byName === undefined) this.billedByOrchestration.delete(record.name);
      else this.billedByOrchestration.set(record.name, before.byName);
      this.counters.episodes = before.episodes;
      if (failure !== undefined) throw failure;
      return false;
    }
    if (record.inbox.length > 0) void this.drain(record.id);
    return true;
  }

  private startRecord(name: string, id: string, input: unknown, existing?: InstanceRecord): LiveInstance {
    const now = this.clock.now().toISOString();
    return {
      id,
      pk: id,
      tenantId: tenantOf(input),
      docType: 'orchestration',
      name,
      input,
      runtimeStatus: 'Pending',
      createdTime: now,
      lastUpdatedTime: now,
      // A new start of a finished instance is a new execution: its history starts afresh beside the old one's.
      execution: (existing?.execution ?? -1) + 1,
      historyChunks: 0,
      historyLength: 0,
      inbox: [event(EventType.ExecutionStarted, -1, now, { Name: name, Input: JSON.stringify(input ?? null) })],
      actionsTaken: 0,
      nextTaskId: 0,
      activities: {},
      timers: {},
      episodes: 0,
      actionCount: 0,
      history: [],
      historyStored: 0,
      staleChunks: existing ? chunkIds(existing) : [],
    };
  }

  async raiseEvent(instanceId: string, name: string, data: unknown): Promise<void> {
    const record = await this.read(instanceId);
    if (!record) throw new InstanceNotFoundError(`No instance ${instanceId}`);
    if (isTerminal(record.runtimeStatus)) return;
    await this.deliver(instanceId, (r) => {
      r.inbox.push(event(EventType.EventRaised, -1, this.clock.now().toISOString(), { Name: name, Input: JSON.stringify(data ?? null) }));
    });
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    const record = await this.read(instanceId);
    if (!record) throw new InstanceNotFoundError(`No instance ${instanceId}`);
    await this.serialize(instanceId, async () => {
      const current = await this.read(instanceId);
      if (!current || !isLive(current)) return;
      current.runtimeStatus = 'Terminated';
      current.output = reason;
      current.activities = {};
      current.timers = {};
      current.inbox = [];
      await this.save(current);
      this.disarmTimers(instanceId);
    });
  }

  async status(instanceId: string): Promise<InstanceStatus | undefined> {
    const record = await this.read(instanceId);
    if (!record) return undefined;
    const { name, input, runtimeStatus, output, customStatus, createdTime, lastUpdatedTime } = record;
    // The durable-functions client refuses a status whose input or output is missing: absent is null.
    return {
      name,
      instanceId,
      runtimeStatus,
      input: input ?? null,
      output: output ?? null,
      customStatus: customStatus ?? null,
      createdTime,
      lastUpdatedTime,
    };
  }

  /** How many history events, chunks and actions an instance has used, for benchmarks and tests. */
  async usage(instanceId: string): Promise<{ historyEvents: number; historyChunks: number; actions: number; episodes: number } | undefined> {
    const record = await this.read(instanceId);
    return (
      record && { historyEvents: record.historyLength, historyChunks: record.historyChunks, actions: record.actionCount, episodes: record.episodes }
    );
  }

  /** Fires every timer due by now; used after the local clock is moved forward. */
  fireDueTimers(): void {
    for (const { handle, fire } of [...this.armedTimers.values()]) {
      clearTimeout(handle);
      fire();
    }
  }

  /** Resolves once no episode is queued or running (activities may still be in flight). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  stop(): void {
    this.stopped = true;
    this.activityPool.clearQueue();
    for (const { handle } of this.armedTimers.values()) clearTimeout(handle);
    this.armedTimers.clear();
  }

  /**
   * Instances in flight are kept in memory as well as in Cosmos: this process is the only one that
   * changes them, and every change is written through before anything depends on it.
   */
  private readonly live = new Map<string, LiveInstance>();

  /**
   * Instances that finished, as stored, the most recently used last. A finished instance changes only when it is
   * started again, through this host, so asking after one (a reply to a sequence that has ended asks whether it
   * still runs) needs no read while it is kept; the least recently used go first, within a count and a budget of
   * bytes (a triage's input holds its whole message).
   */
  private readonly finished = new Map<string, { record: InstanceRecord; bytes: number }>();
  private readonly finishedKept: { instances: number; bytes: number };
  private finishedBytes = 0;

  private keepFinished(record: InstanceRecord, bytes = approximateBytes(record)): void {
    this.forgetFinished(record.id);
    // One too large to keep at all is read again when asked after, and makes no room it would not use.
    if (bytes > this.finishedKept.bytes) return;
    this.finished.set(record.id, { record, bytes });
    this.finishedBytes += bytes;
    while (this.finished.size > this.finishedKept.instances || this.finishedBytes > this.finishedKept.bytes) {
      this.forgetFinished(this.finished.keys().next().value!);
    }
  }

  private forgetFinished(instanceId: string): void {
    const kept = this.finished.get(instanceId);
    if (!kept) return;
    this.finished.delete(instanceId);
    this.finishedBytes -= kept.bytes;
  }

  private recallFinished(instanceId: string): InstanceRecord | undefined {
    const kept = this.finished.get(instanceId);
    if (kept) this.keepFinished(kept.record, kept.bytes);
    return kept?.record;
  }

  /** The instance: with its history when it is in flight, as stored when it has finished. */
  private async read(instanceId: string): Promise<LiveInstance | InstanceRecord | undefined> {
    const cached = this.live.get(instanceId) ?? this.recallFinished(instanceId);
    if (cached) return cached;
    return this.attribute(instanceId, () => this.readStored(instanceId));
  }

  private async readStored(instanceId: string): Promise<LiveInstance | InstanceRecord | undefined> {
    let resource: InstanceRecord | undefined;
    try {
      resource = (await this.container.item(instanceId, instanceId).read<InstanceRecord>()).resource ?? undefined;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
    if (!resource) return undefined;
    if (isTerminal(resource.runtimeStatus)) {
      // Unless it was started again, or stored as finished again, while this read was on its way.
      if (!this.live.has(instanceId) && !this.finished.has(instanceId)) this.keepFinished(resource);
      return resource;
    }
    // Another read may have loaded it while this one waited.
    return this.live.get(instanceId) ?? (await this.withHistory(resource));
  }

  /** Loads the current execution's history (its chunks, in one query within the instance's partition) and keeps the instance live. */
  private async withHistory(stored: InstanceRecord): Promise<LiveInstance> {
    const { resources: chunks } = await this.container.items
      .query<HistoryChunk>(
        {
          query: "SELECT * FROM c WHERE c.docType = 'orchestrationHistory' AND c.instanceId = @id AND c.execution = @execution AND c.seq < @chunks",
          parameters: [
            { name: '@id', value: stored.id },
            { name: '@execution', value: stored.execution },
            { name: '@chunks', value: stored.historyChunks },
          ],
        },
        { partitionKey: stored.id },
      )
      .fetchAll();
    // Instances stored by earlier versions kept their history inside the instance: it becomes the first chunk.
    const legacy = (stored as { history?: HistoryEvent[] }).history;
    const history = legacy ?? chunks.sort((a, b) => a.seq - b.seq).flatMap((chunk) => chunk.events);
    const record: LiveInstance = {
      ...stored,
      execution: stored.execution ?? 0,
      historyChunks: stored.historyChunks ?? 0,
      history,
      historyStored: legacy ? 0 : history.length,
      staleChunks: [],
    };
    const raced = this.live.get(stored.id);
    if (raced) return raced;
    this.live.set(stored.id, record);
    return record;
  }

  /**
   * Writes the instance and the history events added since the last write, appended as a chunk of their own:
   * one transactional batch within the instance's partition, whose size does not grow with the history.
   */
  private save(record: LiveInstance): Promise<void> {
    return this.attribute(record.id, () => this.store(record));
  }

  private async store(record: LiveInstance): Promise<void> {
    record.lastUpdatedTime = this.clock.now().toISOString();
    const fresh = record.history.slice(record.historyStored);
    const operations: OperationInput[] = [];
    if (fresh.length > 0) {
      const chunk: HistoryChunk = {
        id: chunkId(record.id, record.execution, record.historyChunks),
        pk: record.id,
        docType: 'orchestrationHistory',
        instanceId: record.id,
        execution: record.execution,
        seq: record.historyChunks,
        events: fresh,
      };
      // Upsert, not create: a chunk left by a write that died before its instance was stored is overwritten.
      operations.push({ operationType: 'Upsert', partitionKey: record.id, resourceBody: chunk as never });
      record.historyChunks += 1;
      record.historyStored = record.history.length;
    }
    record.historyLength = record.history.length;
    const stored = storedFields(record);
    // An instance stored for the first time is created, first in its batch, so an id taken before refuses it all.
    const create = record.unstored === true;
    const instance: OperationInput = { operationType: create ? 'Create' : 'Upsert', partitionKey: record.id, resourceBody: stored as never };
    // Otherwise the chunk goes first: the emulator applies a batch in order up to its first failure.
    if (create) operations.unshift(instance);
    else operations.push(instance);
    this.counters.historyBytesWritten += fresh.length === 0 ? 0 : JSON.stringify(fresh).length;
    if (operations.length === 1 && !create) await this.container.items.upsert(stored);
    else {
      const response = await this.container.items.batch(operations, record.id);
      const results = response.result ?? [];
      if (create && results[0]?.statusCode === 409) throw new IdTakenError(`Instance ${record.id} exists`);
      const failed = results.find((result) => result.statusCode >= 400);
      if (failed) throw new Error(`durable: storing instance ${record.id} failed with ${failed.statusCode}`);
    }
    delete record.unstored;
    // The history of an execution continueAsNew ended: unreachable now that the new one is stored.
    for (const stale of record.staleChunks.splice(0)) {
      await this.container
        .item(stale, record.id)
        .delete()
        .catch((error: { code?: number }) => {
          if (error.code !== 404) throw error;
        });
    }
    if (isTerminal(record.runtimeStatus)) {
      this.live.delete(record.id);
      this.keepFinished(stored);
    } else {
      this.forgetFinished(record.id);
      this.live.set(record.id, record);
    }
  }

  /** Runs work for one instance strictly after any earlier work for it. */
  private serialize(instanceId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(instanceId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => this.log(`durable: instance ${instanceId}: ${(error as Error).stack ?? error}`));
    this.queues.set(instanceId, next);
    void next.then(() => {
      if (this.queues.get(instanceId) === next) this.queues.delete(instanceId);
    });
    return next;
  }

  /**
   * Puts an event in the instance's inbox and has it played. Events that arrive while an episode runs or is
   * queued wait in the inbox and are all delivered together in the next one, as the Durable extension does.
   */
  private async deliver(instanceId: string, change: (record: LiveInstance) => void): Promise<void> {
    const record = this.live.get(instanceId) ?? (await this.read(instanceId));
    if (!record || !isLive(record)) return;
    change(record);
    await this.drain(instanceId);
  }

  /** Plays the instance's waiting events; joins the episode already queued for it, if any. */
  private drain(instanceId: string): Promise<void> {
    const queued = this.queuedDrains.get(instanceId);
    if (queued) return queued;
    const drained = this.serialize(instanceId, async () => {
      this.queuedDrains.delete(instanceId);
      const record = this.live.get(instanceId);
      while (record && !this.stopped && record.inbox.length > 0 && !isTerminal(record.runtimeStatus)) {
        // Like the real host, which plays episodes on its own workers: let waiting I/O (HTTP requests, the
        // webhook's 202) run first, so a busy orchestration load never starves the requests sharing this loop.
        await yieldToIo();
        if (this.stopped || record.inbox.length === 0 || isTerminal(record.runtimeStatus)) break;
        await this.playEpisode(record);
      }
    });
    this.queuedDrains.set(instanceId, drained);
    return drained;
  }

  private async playEpisode(record: LiveInstance): Promise<void> {
    const orchestrator = this.orchestrators.get(record.name)!;
    const now = this.clock.now().toISOString();
    const delivered = takeEpisode(record);
    for (const arrived of delivered) this.bill(record, arrived);
    const fresh = [event(EventType.OrchestratorStarted, -1, now), ...delivered.map((e) => ({ ...e, IsPlayed: false }))];
    // A retry's back-off and its next attempt are delivered alone (see takeEpisode).
    const retryEvent = delivered.length === 1 && isRetryEvent(record, delivered[0]!) ? delivered[0]! : undefined;

    // The replay assigns the next task ids to a retry's back-off and to its new attempt as it meets
    // them, before any action the orchestrator takes in this episode: mirror that order.
    const retryTaskIds = retryEvent && this.retryTaskIds(record, retryEvent);

    const { state, failure } = await replayEpisode(orchestrator, {
      name: record.name,
      instanceId: record.id,
      input: record.input,
      history: [...record.history, ...fresh],
    });

    for (const e of fresh) record.history.push({ ...e, IsPlayed: true });
    record.history.push(event(EventType.OrchestratorCompleted, -1, now, { IsPlayed: true }));
    record.runtimeStatus = 'Running';
    record.customStatus = state.customStatus;
    record.episodes += 1;
    this.counters.episodes += 1;

    if (retryEvent) this.continueRetry(record, retryEvent, retryTaskIds);

    if (failure !== undefined) {
      record.runtimeStatus = 'Failed';
      record.output = failure;
      record.activities = {};
      record.timers = {};
      await this.save(record);
      this.disarmTimers(record.id);
      this.events.emit('finished', record.id, record.runtimeStatus);
      return;
    }

    const leaves = flattenActions(state.actions.flat());
    const newActions = leaves.slice(record.actionsTaken);
    record.actionsTaken = leaves.length;
    record.actionCount += newActions.length;
    const toDispatch: [number, PendingActivity][] = [];
    const toArm: [number, PendingTimer][] = [];
    for (const action of newActions) {
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry: {
          const taskId = record.nextTaskId++;
          const activity: PendingActivity = {
            name: action.functionName!,
            input: action.input,
            ...(action.retryOptions ? { retry: { ...action.retryOptions, attempt: 1 } } : {}),
          };
          record.history.push(event(EventType.TaskScheduled, taskId, now, { Name: activity.name, Input: wireInput(action.input), IsPlayed: true }));
          this.charge(record, 'activitiesScheduled');
          record.activities[taskId] = activity;
          toDispatch.push([taskId, activity]);
          break;
        }
        case ActionType.CreateTimer: {
          const timerId = record.nextTaskId++;
          const timer = { fireAt: new Date(action.fireAt!).toISOString() };
          record.history.push(event(EventType.TimerCreated, timerId, now, { FireAt: timer.fireAt, IsPlayed: true }));
          record.timers[timerId] = timer;
          toArm.push([timerId, timer]);
          break;
        }
        case ActionType.WaitForExternalEvent:
          break;
        case ActionType.ContinueAsNew:
          break;
        default:
          throw new Error(`The local durable host does not support action type ${action.actionType}`);
      }
    }

    const continueAsNew = newActions.find((action) => action.actionType === ActionType.ContinueAsNew);
    if (continueAsNew) {
      this.restart(record, continueAsNew.input, now);
    } else if (state.isDone) {
      record.runtimeStatus = 'Completed';
      record.output = state.output;
    }
    await this.save(record);
    if (record.runtimeStatus === 'Completed') this.events.emit('finished', record.id, record.runtimeStatus);
    if (!continueAsNew && !state.isDone) {
      for (const [taskId, activity] of toDispatch) this.dispatchActivity(record.id, taskId, activity);
      for (const [timerId, timer] of toArm) this.armTimer(record.id, timerId, timer);
    }
  }

  private bill(record: InstanceRecord, delivered: HistoryEvent): void {
    const kind = (
      {
        [EventType.ExecutionStarted]: 'starts',
        [EventType.TaskCompleted]: 'activityResults',
        [EventType.TaskFailed]: 'activityResults',
        [EventType.TimerFired]: 'timersFired',
        [EventType.EventRaised]: 'eventsRaised',
      } as Record<number, keyof typeof this.billed>
    )[delivered.EventType];
    if (kind) this.charge(record, kind);
  }

  private charge(record: InstanceRecord, kind: keyof typeof this.billed): void {
    this.billed[kind] += 1;
    this.billedByOrchestration.set(record.name, (this.billedByOrchestration.get(record.name) ?? 0) + 1);
  }

  /** Starts a fresh execution of the same instance, keeping events that arrived but were not consumed. */
  private restart(record: LiveInstance, input: unknown, now: string): void {
    const unconsumed = record.inbox.filter((e) => e.EventType === EventType.EventRaised);
    record.staleChunks.push(...chunkIds(record));
    record.input = input;
    record.execution += 1;
    record.history = [];
    record.historyStored = 0;
    record.historyChunks = 0;
    record.inbox = [event(EventType.ExecutionStarted, -1, now, { Name: record.name, Input: JSON.stringify(input ?? null) }), ...unconsumed];
    record.actionsTaken = 0;
    record.nextTaskId = 0;
    record.activities = {};
    record.timers = {};
    this.disarmTimers(record.id);
  }

  /**
   * After every failure of a retried activity the SDK waits for a back-off timer, and after that timer,
   * if attempts remain, for the next attempt; each takes the next task id.
   */
  private retryTaskIds(record: InstanceRecord, delivered: HistoryEvent): number | undefined {
    if (delivered.EventType === EventType.TaskFailed && delivered.RetryPending) return record.nextTaskId++;
    const retryOf = delivered.EventType === EventType.TimerFired ? record.timers[delivered.TimerId as number]?.retryOf : undefined;
    if (retryOf && retryOf.retry!.attempt <= retryOf.retry!.maxNumberOfAttempts) return record.nextTaskId++;
    return undefined;
  }

  private continueRetry(record: LiveInstance, delivered: HistoryEvent, taskId: number | undefined): void {
    if (delivered.EventType === EventType.TaskFailed) {
      const failed = delivered.Activity as PendingActivity & { retry: RetryOptions & { attempt: number } };
      const { firstRetryIntervalInMilliseconds, backoffCoefficient = 1, maxRetryIntervalInMilliseconds } = failed.retry;
      const exhausted = failed.retry.attempt >= failed.retry.maxNumberOfAttempts;
      const delay = exhausted
        ? 0
        : Math.min(
            firstRetryIntervalInMilliseconds * backoffCoefficient ** (failed.retry.attempt - 1),
            maxRetryIntervalInMilliseconds ?? Number.MAX_SAFE_INTEGER,
          );
      const timer: PendingTimer = {
        fireAt: new Date(this.clock.now().getTime() + delay).toISOString(),
        retryOf: { ...failed, retry: { ...failed.retry, attempt: failed.retry.attempt + 1 } },
      };
      record.timers[taskId!] = timer;
      this.armTimer(record.id, taskId!, timer);
      return;
    }
    const timerId = delivered.TimerId as number;
    const activity = record.timers[timerId]!.retryOf!;
    delete record.timers[timerId];
    if (taskId === undefined) return;
    record.history.push(
      event(EventType.TaskScheduled, taskId, this.clock.now().toISOString(), {
        Name: activity.name,
        Input: wireInput(activity.input),
        IsPlayed: true,
      }),
    );
    this.charge(record, 'activitiesScheduled');
    record.activities[taskId] = activity;
    this.dispatchActivity(record.id, taskId, activity);
  }

  private dispatchActivity(instanceId: string, taskId: number, activity: PendingActivity): void {
    void this.activityPool.run(async () => {
      if (this.stopped) return;
      const handler = this.activityHandlers.get(activity.name);
      let completion: HistoryEvent;
      const at = () => this.clock.now().toISOString();
      try {
        if (!handler) throw new Error(`No activity named ${activity.name}`);
        this.counters.activities += 1;
        const result = await handler(
          activityInput(activity.input),
          new InvocationContext({ functionName: activity.name, invocationId: randomUUID() }),
        );
        completion = event(EventType.TaskCompleted, -1, at(), { TaskScheduledId: taskId, Result: JSON.stringify(result ?? null) });
      } catch (error) {
        const reason = (error as Error).message ?? String(error);
        const retryPending = activity.retry !== undefined;
        const willRetry = activity.retry !== undefined && activity.retry.attempt < activity.retry.maxNumberOfAttempts;
        this.log(`durable: activity ${activity.name} failed${willRetry ? ' (will retry)' : ''}: ${reason}`);
        completion = event(EventType.TaskFailed, -1, at(), {
          TaskScheduledId: taskId,
          Reason: reason,
          Details: '',
          ...(retryPending ? { RetryPending: true, Activity: activity } : {}),
        });
      }
      if (this.stopped) return;
      await this.deliver(instanceId, (record) => {
        if (!(taskId in record.activities)) return;
        delete record.activities[taskId];
        record.inbox.push(completion);
      });
    });
  }

  private armTimer(instanceId: string, timerId: number, timer: PendingTimer): void {
    const key = `${instanceId}/${timerId}`;
    const fire = () => {
      const remaining = Date.parse(timer.fireAt) - this.clock.now().getTime();
      if (remaining > 0) {
        this.armedTimers.set(key, { handle: setTimeout(fire, Math.min(remaining, 2 ** 31 - 1)), fire });
        return;
      }
      this.armedTimers.delete(key);
      void this.deliver(instanceId, (record) => {
        if (!(timerId in record.timers)) return;
        if (!record.timers[timerId]!.retryOf) delete record.timers[timerId];
        record.inbox.push(event(EventType.TimerFired, -1, this.clock.now().toISOString(), { TimerId: timerId, FireAt: timer.fireAt }));
      });
    };
    clearTimeout(this.armedTimers.get(key)?.handle);
    const delay = Math.max(0, Date.parse(timer.fireAt) - this.clock.now().getTime());
    this.armedTimers.set(key, { handle: setTimeout(fire, Math.min(delay, 2 ** 31 - 1)), fire });
  }

  private disarmTimers(instanceId: string): void {
    for (const [key, { handle }] of this.armedTimers) {
      if (key.startsWith(`${instanceId}/`)) {
        clearTimeout(handle);
        this.armedTimers.delete(key);
      }
    }
  }
}

/**
 * The events the next episode delivers: every one waiting, except that a retried activity's failure and its
 * back-off timer go alone, since the replay gives each of them the next task id before anything else.
 */
function takeEpisode(record: InstanceRecord): HistoryEvent[] {
  const retryAt = record.inbox.findIndex((e) => isRetryEvent(record, e));
  return record.inbox.splice(0, retryAt === 0 ? 1 : retryAt < 0 ? record.inbox.length : retryAt);
}

function isRetryEvent(record: InstanceRecord, e: HistoryEvent): boolean {
  if (e.EventType === EventType.TaskFailed) return e.RetryPending === true;
  return e.EventType === EventType.TimerFired && record.timers[e.TimerId as number]?.retryOf !== undefined;
}

/** Finished instances are read as stored; those in flight are live, with their history. */
function isLive(record: InstanceRecord | LiveInstance): record is LiveInstance {
  return 'staleChunks' in record && !isTerminal(record.runtimeStatus);
}

function chunkId(instanceId: string, execution: number, seq: number): string {
  return `${instanceId}~history~${execution}~${seq}`;
}

function chunkIds(record: InstanceRecord): string[] {
  return Array.from({ length: record.historyChunks ?? 0 }, (_, seq) => chunkId(record.id, record.execution ?? 0, seq));
}

/** The instance as stored: without the history, which lives in its chunks. */
function storedFields(record: LiveInstance): InstanceRecord {
  const { history: _history, historyStored: _stored, staleChunks: _stale, unstored: _unstored, ...stored } = record;
  // Copies of what later events change in place, so the write sends this moment's state.
  return { ...stored, inbox: [...stored.inbox], activities: { ...stored.activities }, timers: { ...stored.timers } };
}

/** Roughly what a kept record holds in memory: its input, output and custom status, as JSON text. */
function approximateBytes(record: InstanceRecord): number {
  return 2 * JSON.stringify([record.input ?? null, record.output ?? null, record.customStatus ?? null]).length;
}

/** The SDK passes string inputs already as JSON text and other values as they are, as the extension expects. */
function wireInput(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? null);
}

function activityInput(input: unknown): unknown {
  return typeof input === 'string' ? JSON.parse(input) : input;
}

function isTerminal(status: RuntimeStatus): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Terminated';
}

function tenantOf(input: unknown): string {
  return typeof input === 'object' && input !== null && typeof (input as { tenantId?: unknown }).tenantId === 'string'
    ? (input as { tenantId: string }).tenantId
    : 'system';
}

/** Resolves after the event loop has polled for I/O once (`setImmediate` runs after the poll phase). */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

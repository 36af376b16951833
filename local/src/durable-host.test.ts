import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as df from 'durable-functions';
import { InvocationContext } from '@azure/functions';
import { createCosmosClient, ensureDatabase } from '@asep/functions/store/cosmos';
import { AdjustableClock } from '@asep/functions/clock/clock';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from './cosmos-emulator';
import { LocalDurableHost } from './durable-host';
import type { Container } from '@azure/cosmos';

// The same wrapper df.app.orchestration puts around a generator before handing it to the host.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createOrchestrator } = require('durable-functions/lib/src/util/testingUtils') as { createOrchestrator: (fn: unknown) => unknown };

let emulator: RunningEmulator;
let container: Container;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  const database = await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'durable-test' }), 'durable-test');
  container = database.container('orchestrations');
});
afterAll(async () => emulator.close());

type Orchestrator = (context: df.OrchestrationContext) => Iterator<unknown, unknown, any>;

function hostWith(
  orchestrator: Orchestrator,
  activities: Record<string, (input: any) => Promise<unknown>>,
  clock = new AdjustableClock(),
  options: { container?: Container; finishedInstancesKept?: number; finishedBytesKept?: number } = {},
) {
  const host = new LocalDurableHost(options.container ?? container, clock, () => undefined, options);
  const handler = createOrchestrator(orchestrator) as (trigger: unknown, context: InvocationContext) => Promise<never>;
  host.registerOrchestrator('test', (trigger, context) => handler(trigger, context));
  for (const [name, activity] of Object.entries(activities)) host.registerActivity(name, activity);
  return host;
}

/** The orchestrations container through a client of its own that counts the requests made on it. */
function countedContainer() {
  const counted = { requests: 0 };
  const client = createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'durable-test' }, () => (counted.requests += 1));
  return Object.assign(counted, { container: client.database('durable-test').container('orchestrations') });
}

async function finished(host: LocalDurableHost, id: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await host.status(id);
    if (status && ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) return status;
    if (Date.now() > deadline) throw new Error(`instance ${id} is still ${status?.runtimeStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the local durable host', () => {
  it('runs activities in order and completes with the orchestrator output', async () => {
    const host = hostWith(
      function* (context) {
        const a = yield context.df.callActivity('double', 2);
        const b = yield context.df.callActivity('double', a);
        return b;
      },
      { double: async (n: number) => n * 2 },
    );
    const id = await host.start('test', undefined, {});
    expect(await finished(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: 8 });
  });

  it('retries a failing activity under its retry policy until it succeeds', async () => {
    let calls = 0;
    const retry = new df.RetryOptions(50, 3);
    const host = hostWith(
      function* (context) {
        const first = yield context.df.callActivityWithRetry('flaky', retry, 'x');
        const after = yield context.df.callActivity('double', 5);
        return [first, after];
      },
      {
        flaky: async () => {
          calls += 1;
          if (calls < 3) throw new Error('transient');
          return 'ok';
        },
        double: async (n: number) => n * 2,
      },
    );
    const id = await host.start('test', undefined, {});
    expect(await finished(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: ['ok', 10] });
    expect(calls).toBe(3);
  });

  it('fails the instance when the retries run out', async () => {
    const host = hostWith(
      function* (context) {
        return yield context.df.callActivityWithRetry('broken', new df.RetryOptions(10, 2), null);
      },
      { broken: async () => Promise.reject(new Error('permanent')) },
    );
    const id = await host.start('test', undefined, {});
    const status = await finished(host, id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('permanent');
  });

  it('delivers an external event that wins a race against a timer', async () => {
    const host = hostWith(function* (context) {
      const event = context.df.waitForExternalEvent('go');
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3_600_000));
      const winner = yield context.df.Task.any([event, timer]);
      if (winner === timer) return 'timed out';
      timer.cancel();
      return event.result;
    }, {});
    const id = await host.start('test', undefined, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await host.raiseEvent(id, 'go', { approved: true });
    expect(await finished(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: { approved: true } });
  });

  it('fires a long timer when the clock moves past it', async () => {
    const clock = new AdjustableClock();
    const host = hostWith(
      function* (context) {
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 9 * 86_400_000));
        return 'woke';
      },
      {},
      clock,
    );
    const id = await host.start('test', undefined, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await host.status(id))?.runtimeStatus).toBe('Running');
    for (let day = 0; day < 10; day += 1) {
      clock.advance(86_400_000);
      host.fireDueTimers();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(await finished(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: 'woke' });
  });

  it('keeps history small across continueAsNew', async () => {
    const host = hostWith(
      function* (context) {
        const round = context.df.getInput<number>();
        yield context.df.callActivity('double', round);
        if (round < 20) {
          context.df.continueAsNew(round + 1);
          return undefined;
        }
        return round;
      },
      { double: async (n: number) => n * 2 },
    );
    const id = await host.start('test', undefined, 0);
    expect(await finished(host, id, 20_000)).toMatchObject({ runtimeStatus: 'Completed', output: 20 });
    expect((await host.usage(id))!.historyEvents).toBeLessThan(12);
  });

  it('resumes an instance after a restart without running a finished activity again', async () => {
    const seen: string[] = [];
    const orchestrator: Orchestrator = function* (context) {
      yield context.df.callActivity('record', 'before');
      const decision = yield context.df.waitForExternalEvent('decide');
      yield context.df.callActivity('record', `after:${decision}`);
      return 'done';
    };
    const activities = { record: async (value: string) => void seen.push(value) };
    const first = hostWith(orchestrator, activities);
    const id = await first.start('test', undefined, {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    first.stop();
    const second = hostWith(orchestrator, activities);
    await second.resume();
    await second.raiseEvent(id, 'decide', 'yes');
    expect(await finished(second, id)).toMatchObject({ runtimeStatus: 'Completed' });
    expect(seen).toEqual(['before', 'after:yes']);
  });

  it('starts a finished instance afresh under its id, and refuses an id another host has running, counting neither twice', async () => {
    const orchestrator: Orchestrator = function* (context) {
      const input = context.df.getInput<{ wait?: boolean; n: number }>();
      if (input.wait) yield context.df.waitForExternalEvent('go');
      return yield context.df.callActivity('double', input.n);
    };
    const activities = { double: async (n: number) => n * 2 };
    const host = hostWith(orchestrator, activities);
    await host.start('test', 'again-1', { n: 1 });
    expect(await finished(host, 'again-1')).toMatchObject({ output: 2 });
    await host.start('test', 'again-1', { n: 5 });
    expect(await finished(host, 'again-1')).toMatchObject({ runtimeStatus: 'Completed', output: 10 });
    expect(host.billed.starts).toBe(2);

    await host.start('test', 'running-1', { wait: true, n: 1 });
    const other = hostWith(orchestrator, activities);
    await expect(other.start('test', 'running-1', { n: 3 })).rejects.toThrow(/already Running/);
    expect(other.billed).toEqual({ starts: 0, activitiesScheduled: 0, activityResults: 0, timersFired: 0, eventsRaised: 0 });
    await host.raiseEvent('running-1', 'go', null);
    expect(await finished(host, 'running-1')).toMatchObject({ output: 2 });
  });

  it('answers for an instance that finished without reading it, while it is among the most recently used', async () => {
    const counted = countedContainer();
    const orchestrator: Orchestrator = function* (context) {
      return yield context.df.callActivity('double', context.df.getInput<{ n: number }>().n);
    };
    const host = hostWith(orchestrator, { double: async (n: number) => n * 2 }, undefined, {
      container: counted.container,
      finishedInstancesKept: 2,
    });
    for (const [id, n] of [
      ['kept-1', 1],
      ['kept-2', 2],
    ] as const) {
      await host.start('test', id, { n });
      await finished(host, id);
    }

    counted.requests = 0;
    expect(await host.status('kept-1')).toMatchObject({ runtimeStatus: 'Completed', output: 2, input: { n: 1 } });
    await host.raiseEvent('kept-1', 'late', null);
    await host.terminate('kept-1', 'no longer wanted');
    expect(counted.requests).toBe(0);
    expect(await host.status('kept-1')).toMatchObject({ runtimeStatus: 'Completed' });

    // Started again under its id: what is kept is the new execution, not the old one.
    await host.start('test', 'kept-1', { n: 5 });
    expect(await finished(host, 'kept-1')).toMatchObject({ runtimeStatus: 'Completed', output: 10 });

    // Two are kept: kept-2, used least recently, went when kept-3 finished, and is read again.
    await host.start('test', 'kept-3', { n: 3 });
    await finished(host, 'kept-3');
    counted.requests = 0;
    expect(await host.status('kept-2')).toMatchObject({ output: 4 });
    expect(counted.requests).toBe(1);
    // Another host (after a restart) knows nothing it did not read.
    counted.requests = 0;
    const restarted = hostWith(orchestrator, {}, undefined, { container: counted.container });
    expect(await restarted.status('kept-1')).toMatchObject({ output: 10 });
    expect(counted.requests).toBe(1);
  });

  it('keeps finished instances within a byte budget, so large inputs do not pile up in memory', async () => {
    const counted = countedContainer();
    const orchestrator: Orchestrator = function* (context) {
      return yield context.df.callActivity('size', context.df.getInput<{ text: string }>().text);
    };
    const host = hostWith(orchestrator, { size: async (text: string) => text.length }, undefined, {
      container: counted.container,
      finishedBytesKept: 10_000,
    });
    await host.start('test', 'small-1', { text: 'x'.repeat(100) });
    await finished(host, 'small-1');
    await host.start('test', 'large-1', { text: 'x'.repeat(20_000) });
    await finished(host, 'large-1');

    counted.requests = 0;
    expect(await host.status('small-1')).toMatchObject({ output: 100 });
    expect(counted.requests).toBe(0);
    expect(await host.status('large-1')).toMatchObject({ output: 20_000 });
    expect(counted.requests).toBe(1);
  });

  it('delivers results that arrive together in one episode', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const host = hostWith(
      function* (context) {
        const results = yield context.df.Task.all([1, 2, 3, 4, 5].map((n) => context.df.callActivity('gated', n)));
        return results;
      },
      { gated: async (n: number) => gate.then(() => n * 10) },
    );
    const id = await host.start('test', undefined, {});
    await until(() => host.activityLoad.running === 5);
    open();
    expect(await finished(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: [10, 20, 30, 40, 50] });
    // One episode to schedule the five, one for their five results: not one per result.
    expect((await host.usage(id))!.episodes).toBe(2);
  });

  it('appends each episode to the history instead of rewriting it, so writes do not grow with its length', async () => {
    const chain = (steps: number): Orchestrator =>
      function* (context) {
        let total = 0;
        for (let step = 0; step < steps; step += 1) total += (yield context.df.callActivity('one', step)) as number;
        return total;
      };
    const bytesFor = async (steps: number) => {
      const host = hostWith(chain(steps), { one: async () => 1 });
      const id = await host.start('test', undefined, {});
      expect(await finished(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: steps });
      const { resource: instance } = await container.item(id, id).read();
      return { written: host.counters.historyBytesWritten, instanceBytes: JSON.stringify(instance).length, usage: (await host.usage(id))! };
    };
    const short = await bytesFor(10);
    const long = await bytesFor(40);
    // Four times the steps writes about four times the bytes (rewriting the history every episode: sixteen times).
    expect(long.written / short.written).toBeLessThan(5);
    // The instance document holds state, not history: it stays the same size however long the history is.
    expect(long.instanceBytes).toBeLessThan(short.instanceBytes + 100);
    expect(long.usage.historyChunks).toBe(long.usage.episodes);
    expect(long.usage.historyEvents).toBeGreaterThan(4 * 40);
  });

  it('resumes an instance whose activity was running when the host stopped, from the history it stored', async () => {
    const runs: string[] = [];
    let stall = true;
    const orchestrator: Orchestrator = function* (context) {
      const first = yield context.df.callActivity('step', 'first');
      const second = yield context.df.callActivity('step', 'second');
      return [first, second];
    };
    const activities = {
      step: async (name: string) => {
        runs.push(name);
        if (name === 'second' && stall) await new Promise(() => undefined);
        return `${name} done`;
      },
    };
    const first = hostWith(orchestrator, activities);
    const id = await first.start('test', undefined, {});
    await until(() => runs.includes('second'));
    first.stop();
    stall = false;
    const second = hostWith(orchestrator, activities);
    expect(await second.resume()).toBeGreaterThanOrEqual(1);
    // The first step's result comes from the stored history: it does not run again.
    expect(await finished(second, id)).toMatchObject({ runtimeStatus: 'Completed', output: ['first done', 'second done'] });
    expect(runs).toEqual(['first', 'second', 'second']);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import { mailIntakeOrchestration, watchUpkeepOrchestration } from './contracts/graph-intake';

const intake = {
  tenantId: 'tenant-a',
  mailbox: 'rep@contoso.example',
  subscriptionId: 'sub-1',
  graphMessageIds: ['AAMk-1', 'AAMk-2'],
  receivedAt: '2026-12-03T08:00:00.000Z',
  correlationId: 'corr-1',
};
const upkeep = {
  tenantId: 'tenant-a',
  mailbox: 'rep@contoso.example',
  subscriptionId: 'sub-1',
  reason: 'reauthorizationRequired',
  correlationId: 'corr-2',
};
const graphRetry = { firstRetryIntervalInMilliseconds: 5_000, maxNumberOfAttempts: 6 };

describe('the Graph orchestrations, replayed from their history', () => {
  beforeAll(() => registerOrchestrations(() => import('./graph-intake')));

  it('mail intake keeps and ingests the notified messages it was started with in one activity that Graph throttling retries', async () => {
    const decision = await replay(new RecordedHistory(mailIntakeOrchestration.name, intake));
    expect(decision).toEqual({ actions: [{ call: 'graphIngestNotified', input: intake, retry: graphRetry }], isDone: false });
  });

  it('mail intake finishes with what the ingest reported', async () => {
    const history = new RecordedHistory(mailIntakeOrchestration.name, intake);
    const ingest = history.scheduled('graphIngestNotified', intake);
    history.episode(1).completed(ingest, { received: 1, ignored: 1 });
    const decision = await replay(history);
    expect(decision).toMatchObject({ isDone: true, output: { received: 1, ignored: 1 } });
    expect(decision.actions).toHaveLength(1);
  });

  it('a throttled ingest is not given up: the orchestration waits for its next attempt and finishes with it', async () => {
    const history = new RecordedHistory(mailIntakeOrchestration.name, intake);
    const first = history.scheduled('graphIngestNotified', intake);
    history.episode(1).failed(first, 'Graph answered 429');
    expect(await replay(history)).toMatchObject({ isDone: false, actions: [{ call: 'graphIngestNotified' }] });
    expect((await replay(history)).failure).toBeUndefined();

    history.episode(1).backOffElapsed();
    const second = history.scheduled('graphIngestNotified', intake);
    history.episode(1).completed(second, { received: 1, ignored: 0 });
    expect(await replay(history)).toMatchObject({ isDone: true, output: { received: 1, ignored: 0 } });
  });

  it('after six throttled attempts it fails with what Graph answered', async () => {
    const history = new RecordedHistory(mailIntakeOrchestration.name, intake);
    let attempt = history.scheduled('graphIngestNotified', intake);
    for (let tried = 1; tried < graphRetry.maxNumberOfAttempts; tried++) {
      history.episode(1).failed(attempt, 'Graph answered 429');
      history.episode(1).backOffElapsed();
      attempt = history.scheduled('graphIngestNotified', intake);
    }
    expect((await replay(history)).failure).toBeUndefined();
    history.episode(1).failed(attempt, 'Graph answered 429');
    history.episode(0).backOffElapsed();
    expect((await replay(history)).failure).toMatch(/^Graph answered 429/);
  });

  it('watch upkeep tends the subscription Graph named, with the same retries', async () => {
    const decision = await replay(new RecordedHistory(watchUpkeepOrchestration.name, upkeep));
    expect(decision).toEqual({ actions: [{ call: 'graphTendWatch', input: upkeep, retry: graphRetry }], isDone: false });
  });
});

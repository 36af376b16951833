import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import { canaryActivities, canaryPromotedEvent, canaryRunOrchestration } from './contracts/canary';

const input = { tenantId: 'tenant-a', campaignId: 'campaign-1' };
const promotion = { by: { id: 'manager-1', name: 'Mona Manager' }, at: '2026-03-02T10:00:00.000Z', correlationId: 'corr-1' };

describe('the canary run, replayed from its history', () => {
  beforeAll(() => registerOrchestrations(() => import('./canary')));

  it('started, it waits for a promotion and starts nobody', async () => {
    const decision = await replay(new RecordedHistory(canaryRunOrchestration.name, input));
    expect(decision).toEqual({ actions: [{ waitFor: canaryPromotedEvent }], isDone: false });
  });

  it('promoted, it starts everyone enrolled, once, with who promoted it', async () => {
    const history = new RecordedHistory(canaryRunOrchestration.name, input).episode(60);
    history.raised(canaryPromotedEvent, promotion);
    const decision = await replay(history);
    expect(decision).toEqual({
      actions: [{ waitFor: canaryPromotedEvent }, { call: canaryActivities.startEveryone, input: { ...input, promotion } }],
      isDone: false,
    });
  });

  it('finishes with what starting everyone reported', async () => {
    const history = new RecordedHistory(canaryRunOrchestration.name, input).episode(60);
    history.raised(canaryPromotedEvent, promotion);
    history.scheduled(canaryActivities.startEveryone, { ...input, promotion });
    history.episode(1).completed(0, { started: 40, alreadyRunning: 5 });
    const decision = await replay(history);
    expect(decision.isDone).toBe(true);
    expect(decision.output).toEqual({ started: 40, alreadyRunning: 5 });
    expect(decision.actions).toHaveLength(2);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import { canaryActivities, canaryPromotedEvent, canaryRunOrchestration } from './contracts/canary';
import { campaignStartActivities, campaignStartPageSize } from './contracts/campaign-start';

const input = { tenantId: 'tenant-a', campaignId: 'campaign-1' };
const promotion = { by: { id: 'manager-1', name: 'Mona Manager' }, at: '2026-03-02T10:00:00.000Z', correlationId: 'corr-1' };

describe('the canary run, replayed from its history', () => {
  beforeAll(() => registerOrchestrations(() => import('./canary')));

  it('started, it waits for a promotion and starts nobody', async () => {
    const decision = await replay(new RecordedHistory(canaryRunOrchestration.name, input));
    expect(decision).toEqual({ actions: [{ waitFor: canaryPromotedEvent }], isDone: false });
  });

  it('promoted, it records who promoted it, once, before it starts anyone', async () => {
    const history = new RecordedHistory(canaryRunOrchestration.name, input).episode(60);
    history.raised(canaryPromotedEvent, promotion);
    const decision = await replay(history);
    expect(decision).toEqual({
      actions: [{ waitFor: canaryPromotedEvent }, { call: canaryActivities.recordPromotion, input: { ...input, promotion } }],
      isDone: false,
    });
  });

  it('starts everyone enrolled after the cohort a page at a time, and finishes with what the pages reported', async () => {
    const history = new RecordedHistory(canaryRunOrchestration.name, input).episode(60);
    history.raised(canaryPromotedEvent, promotion);
    history.scheduled(canaryActivities.recordPromotion, { ...input, promotion });
    history.episode(1).completed(0, { cohort: 5, enrolled: 5 + campaignStartPageSize + 40 });
    const page = (offset: number) => ({ ...input, cohortOnly: false, correlationId: promotion.correlationId, from: 5, offset });
    expect((await replay(history)).actions.at(-1)).toEqual({ call: campaignStartActivities.startPage, input: page(5) });

    history.scheduled(campaignStartActivities.startPage, page(5));
    history.episode(1).completed(1, { total: 5 + campaignStartPageSize + 40, started: campaignStartPageSize, alreadyRunning: 0 });
    expect((await replay(history)).actions.at(-1)).toEqual({ call: campaignStartActivities.startPage, input: page(5 + campaignStartPageSize) });

    history.scheduled(campaignStartActivities.startPage, page(5 + campaignStartPageSize));
    history.episode(1).completed(2, { total: 5 + campaignStartPageSize + 40, started: 38, alreadyRunning: 2 });
    const decision = await replay(history);
    expect(decision.isDone).toBe(true);
    expect(decision.output).toEqual({ started: campaignStartPageSize + 38, alreadyRunning: 7 });
  });
});

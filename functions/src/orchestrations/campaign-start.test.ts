import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import { campaignStartActivities, campaignStartOrchestration } from './contracts/campaign-start';

const campaign = { tenantId: 'tenant-a', campaignId: 'campaign-1', cohortOnly: false, correlationId: 'corr-1' };
// The start route did the first page of 100 itself; 150 more remain.
const input = { ...campaign, from: 100, progress: { total: 250, started: 98, alreadyRunning: 2 } };
const page = (offset: number) => ({ ...campaign, from: 100, offset });

describe('the campaign start, replayed from its history', () => {
  beforeAll(() => registerOrchestrations(() => import('./campaign-start')));

  it('starts the page after the one the route did', async () => {
    expect(await replay(new RecordedHistory(campaignStartOrchestration.name, input))).toEqual({
      actions: [{ call: campaignStartActivities.startPage, input: page(100) }],
      isDone: false,
    });
  });

  it('goes on page by page and finishes with the totals of every page, the route’s included', async () => {
    const history = new RecordedHistory(campaignStartOrchestration.name, input);
    const second = history.scheduled(campaignStartActivities.startPage, page(100));
    history.episode(1).completed(second, { total: 250, started: 100, alreadyRunning: 0 });
    expect((await replay(history)).actions.at(-1)).toEqual({ call: campaignStartActivities.startPage, input: page(200) });

    const third = history.scheduled(campaignStartActivities.startPage, page(200));
    history.episode(1).completed(third, { total: 250, started: 49, alreadyRunning: 1 });
    expect(await replay(history)).toMatchObject({ isDone: true, output: { total: 250, started: 247, alreadyRunning: 3 } });
  });

  it('stops early when the campaign shrank under it', async () => {
    const history = new RecordedHistory(campaignStartOrchestration.name, input);
    const second = history.scheduled(campaignStartActivities.startPage, page(100));
    history.episode(1).completed(second, { total: 180, started: 80, alreadyRunning: 0 });
    expect(await replay(history)).toMatchObject({ isDone: true, output: { total: 180, started: 178, alreadyRunning: 2 } });
  });
});

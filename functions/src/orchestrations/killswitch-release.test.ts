import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import { killSwitchReleaseActivities, killSwitchReleaseOrchestration } from './contracts/killswitch-release';

const input = {
  tenantId: 'tenant-a',
  scope: 'tenant',
  release: 'resume',
  reason: 'incident over',
  actor: { id: 'user-1', name: 'Ada Admin' },
  correlationId: 'corr-1',
};
const retry = { firstRetryIntervalInMilliseconds: 2_000, maxNumberOfAttempts: 4 };
const endedBecause = 'ended when the kill switch was turned off: incident over';
const page = (campaignId: string, offset: number, release = 'resume') => ({
  tenantId: 'tenant-a',
  campaignId,
  release,
  offset,
  reason: endedBecause,
});

/** A history that has looked up the scope: two campaigns, of 150 and 30 sequences. */
function scoped(release = input): RecordedHistory {
  const history = new RecordedHistory(killSwitchReleaseOrchestration.name, release);
  const scope = history.scheduled(killSwitchReleaseActivities.scope, release);
  history.episode(1).completed(scope, {
    campaigns: [
      { campaignId: 'cmp-big', sequences: 150 },
      { campaignId: 'cmp-small', sequences: 30 },
    ],
  });
  return history;
}

describe('the kill switch release, replayed from its history', () => {
  beforeAll(() => registerOrchestrations(() => import('./killswitch-release')));

  it('first looks up which campaigns the switch covered, and tells nobody yet', async () => {
    expect(await replay(new RecordedHistory(killSwitchReleaseOrchestration.name, input))).toEqual({
      actions: [{ call: killSwitchReleaseActivities.scope, input, retry }],
      isDone: false,
    });
  });

  it('wakes the held sequences one bounded page at a time, campaign by campaign', async () => {
    const history = scoped();
    expect((await replay(history)).actions.at(-1)).toEqual({ call: killSwitchReleaseActivities.page, input: page('cmp-big', 0), retry });

    const first = history.scheduled(killSwitchReleaseActivities.page, page('cmp-big', 0));
    history.episode(1).completed(first, { checked: 100, held: 60, resumed: 70, ended: 0 });
    expect((await replay(history)).actions.at(-1)).toEqual({ call: killSwitchReleaseActivities.page, input: page('cmp-big', 100), retry });

    const second = history.scheduled(killSwitchReleaseActivities.page, page('cmp-big', 100));
    history.episode(1).completed(second, { checked: 50, held: 20, resumed: 20, ended: 0 });
    const next = await replay(history);
    expect(next.isDone).toBe(false);
    expect(next.actions.at(-1)).toEqual({ call: killSwitchReleaseActivities.page, input: page('cmp-small', 0), retry });
  });

  it('records the count only once every page is done, then answers it', async () => {
    const history = scoped();
    for (const [campaignId, offset, outcome] of [
      ['cmp-big', 0, { checked: 100, held: 60, resumed: 70, ended: 0 }],
      ['cmp-big', 100, { checked: 50, held: 20, resumed: 20, ended: 0 }],
      ['cmp-small', 0, { checked: 30, held: 5, resumed: 5, ended: 0 }],
    ] as const) {
      const task = history.scheduled(killSwitchReleaseActivities.page, page(campaignId, offset));
      history.episode(1).completed(task, outcome);
    }
    const finish = { ...input, releaseId: 'replayed-instance', sequencesResumed: 95, sequencesEnded: 0 };
    const beforeFinish = await replay(history);
    expect(beforeFinish.isDone).toBe(false);
    expect(beforeFinish.actions.at(-1)).toEqual({ call: killSwitchReleaseActivities.finish, input: finish, retry });

    const finished = history.scheduled(killSwitchReleaseActivities.finish, finish);
    history.episode(1).completed(finished, null);
    expect(await replay(history)).toMatchObject({
      isDone: true,
      output: { sequences: 180, checked: 180, held: 85, resumed: 95, ended: 0, done: true },
    });
  });

  it('finishes at once, resuming nobody, when the switch covered no running campaign', async () => {
    const history = new RecordedHistory(killSwitchReleaseOrchestration.name, input);
    const scope = history.scheduled(killSwitchReleaseActivities.scope, input);
    history.episode(1).completed(scope, { campaigns: [] });
    expect((await replay(history)).actions.at(-1)).toEqual({
      call: killSwitchReleaseActivities.finish,
      input: { ...input, releaseId: 'replayed-instance', sequencesResumed: 0, sequencesEnded: 0 },
      retry,
    });
  });

  it('turned off with "end", stops each campaign before ending its sequences, then closes it with the count, and records the total', async () => {
    const ending = { ...input, release: 'end' };
    const history = scoped(ending);
    const big = { ...ending, releaseId: 'replayed-instance', campaignId: 'cmp-big', sequencesEnded: 0 };
    expect((await replay(history)).actions.at(-1)).toEqual({ call: killSwitchReleaseActivities.stopCampaign, input: big, retry });
    history.episode(1).completed(history.scheduled(killSwitchReleaseActivities.stopCampaign, big), null);
    for (const [offset, ended] of [
      [0, 90],
      [100, 40],
    ] as const) {
      expect((await replay(history)).actions.at(-1)).toEqual({
        call: killSwitchReleaseActivities.page,
        input: page('cmp-big', offset, 'end'),
        retry,
      });
      const task = history.scheduled(killSwitchReleaseActivities.page, page('cmp-big', offset, 'end'));
      history.episode(1).completed(task, { checked: offset === 0 ? 100 : 50, held: 3, resumed: 0, ended });
    }
    const closed = { ...big, sequencesEnded: 130 };
    expect((await replay(history)).actions.at(-1)).toEqual({ call: killSwitchReleaseActivities.closeCampaign, input: closed, retry });
    history.episode(1).completed(history.scheduled(killSwitchReleaseActivities.closeCampaign, closed), null);

    const small = { ...big, campaignId: 'cmp-small' };
    history.episode(1).completed(history.scheduled(killSwitchReleaseActivities.stopCampaign, small), null);
    history.episode(1).completed(history.scheduled(killSwitchReleaseActivities.page, page('cmp-small', 0, 'end')), {
      checked: 30,
      held: 0,
      resumed: 0,
      ended: 30,
    });
    history.episode(1).completed(history.scheduled(killSwitchReleaseActivities.closeCampaign, { ...small, sequencesEnded: 30 }), null);
    const finish = { ...ending, releaseId: 'replayed-instance', sequencesResumed: 0, sequencesEnded: 160 };
    expect((await replay(history)).actions.at(-1)).toEqual({ call: killSwitchReleaseActivities.finish, input: finish, retry });
    history.episode(1).completed(history.scheduled(killSwitchReleaseActivities.finish, finish), null);
    expect(await replay(history)).toMatchObject({ isDone: true, output: { sequences: 180, checked: 180, resumed: 0, ended: 160, done: true } });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import { triageActivities, triageOrchestration } from './contracts/triage';

const input = { tenantId: 'tenant-a', messageId: 'message-1', correlationId: 'corr-1' };
const triaging = { ...input, instanceId: 'replayed-instance' };
const expiresAt = '2026-03-05T09:00:00.000Z';

let expiryTimer = -1;

/** The history up to triage's answer that a Manager must decide on the deal. */
function askedForDeal(): RecordedHistory {
  const history = new RecordedHistory(triageOrchestration.name, input);
  const triage = history.scheduled(triageActivities.triage, triaging);
  history.episode(1).completed(triage, { outcome: 'classified', label: 'positive', deal: { outcome: 'ask', approvalId: 'deal-approval-1', expiresAt } });
  expiryTimer = history.timerCreated(expiresAt);
  return history;
}

describe('reply triage, replayed from its history', () => {
  beforeAll(() => registerOrchestrations(() => import('./triage')));

  it('starts with the one activity that classifies, acts and gates', async () => {
    expect(await replay(new RecordedHistory(triageOrchestration.name, input))).toEqual({
      actions: [{ call: triageActivities.triage, input: triaging }],
      isDone: false,
    });
  });

  it('an ignored message ends triage with the reason, nothing else scheduled', async () => {
    const history = new RecordedHistory(triageOrchestration.name, input);
    const triage = history.scheduled(triageActivities.triage, triaging);
    history.episode(1).completed(triage, { outcome: 'ignored', reason: 'auto-reply' });
    expect(await replay(history)).toEqual({ actions: [{ call: triageActivities.triage, input: triaging }], isDone: true, output: 'auto-reply' });
  });

  it('a deal between the thresholds waits for the Manager or the expiry', async () => {
    const history = new RecordedHistory(triageOrchestration.name, input);
    const triage = history.scheduled(triageActivities.triage, triaging);
    history.episode(1).completed(triage, { outcome: 'classified', label: 'positive', deal: { outcome: 'ask', approvalId: 'deal-approval-1', expiresAt } });
    expect((await replay(history)).actions.slice(1)).toEqual([{ waitFor: 'approval-deal-approval-1' }, { timer: expiresAt }]);
  });

  it('creates the deal only when the Manager approves it', async () => {
    const decision = { approved: true, by: { id: 'manager-1' } };
    const history = askedForDeal();
    history.episode(60).raised('approval-deal-approval-1', decision);
    expect((await replay(history)).actions.at(-1)).toEqual({ call: triageActivities.createApprovedDeal, input: { ...input, decision } });

    const declined = askedForDeal();
    declined.episode(60).raised('approval-deal-approval-1', { approved: false, by: { id: 'manager-1' } });
    expect(await replay(declined)).toMatchObject({ isDone: true, output: 'deal skipped' });
    expect((await replay(declined)).actions.map((action) => ('call' in action ? action.call : undefined)).filter(Boolean)).toEqual([triageActivities.triage]);
  });

  it('an unanswered deal prompt expires and creates nothing', async () => {
    const history = askedForDeal();
    history.episode(72 * 60).timerFired(expiryTimer, expiresAt);
    expect((await replay(history)).actions.at(-1)).toEqual({ call: triageActivities.expireDealPrompt, input: { ...input, approvalId: 'deal-approval-1' } });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import { triageActivities, type TriageInput } from './contracts/triage';

const input: TriageInput = { tenantId: 'tenant-a', messageId: 'message-1', correlationId: 'corr-1' };
const approvalId = 'approval-7';
const expiresAt = '2026-03-04T09:00:00.000Z';
const reviewing = 'awaitReplyReviewAlone';
const waiting = [{ waitFor: `approval-${approvalId}` }, { timer: expiresAt }];
const reviewer = { id: 'rep-1', name: 'Rita Rep' };

describe('waiting for a reply review, replayed from its history', () => {
  beforeAll(() =>
    registerOrchestrations(async () => {
      // The wait runs inside triage; alone under its own name, its decisions are the only actions.
      const df = await import('durable-functions');
      const { awaitReplyReview } = await import('./reply-review');
      df.app.orchestration(reviewing, function* (context) {
        return yield* awaitReplyReview(context, context.df.getInput<TriageInput>(), approvalId, expiresAt);
      });
    }),
  );

  const asked = () => {
    const history = new RecordedHistory(reviewing, input);
    history.timerCreated(expiresAt);
    return history;
  };

  it('waits for the answer or the expiry, whichever comes first, and applies nothing meanwhile', async () => {
    expect(await replay(new RecordedHistory(reviewing, input))).toEqual({ actions: waiting, isDone: false });
  });

  it('a confirmed label is applied once, and triage goes on with the deal gated on it', async () => {
    const decision = { approved: true, label: 'positive', by: reviewer };
    const history = asked();
    history.episode(30).raised(`approval-${approvalId}`, decision);
    const applying = { ...input, instanceId: 'replayed-instance', decision };
    expect(await replay(history)).toEqual({ actions: [...waiting, { call: triageActivities.applyReview, input: applying }], isDone: false });

    const apply = history.scheduled(triageActivities.applyReview, applying);
    history.episode(1).completed(apply, { outcome: 'ask' });
    expect(await replay(history)).toMatchObject({ isDone: true, output: { outcome: 'ask' } });
  });

  it('a declined review applies nothing and triage stops', async () => {
    const history = asked();
    history.episode(30).raised(`approval-${approvalId}`, { approved: false, by: reviewer });
    const declined = await replay(history);
    expect(declined).toMatchObject({ actions: waiting, isDone: true });
    expect(declined.output ?? undefined).toBeUndefined();
  });

  it('an unanswered review expires: the approval is closed and nothing is applied', async () => {
    const history = asked();
    history.episode(48 * 60).timerFired(0, expiresAt);
    expect(await replay(history)).toEqual({ actions: [...waiting, { call: triageActivities.expireReview, input: { ...input, approvalId } }], isDone: false });

    const expire = history.scheduled(triageActivities.expireReview, { ...input, approvalId });
    history.episode(1).completed(expire, null);
    const expired = await replay(history);
    expect(expired.isDone).toBe(true);
    expect(expired.output ?? undefined).toBeUndefined();
  });

  it('an answer after the expiry changes nothing', async () => {
    const history = asked();
    history.episode(48 * 60).timerFired(0, expiresAt);
    const expire = history.scheduled(triageActivities.expireReview, { ...input, approvalId });
    history.episode(1).raised(`approval-${approvalId}`, { approved: true, label: 'positive', by: reviewer });
    history.completed(expire, null);
    const decision = await replay(history);
    expect(decision.isDone).toBe(true);
    expect(decision.output ?? undefined).toBeUndefined();
    expect(decision.actions.map((action) => ('call' in action ? action.call : undefined)).filter(Boolean)).toEqual([triageActivities.expireReview]);
  });
});

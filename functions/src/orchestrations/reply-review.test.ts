import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay } from '../../../tests/support/recorded-history';
import type { TriageInput } from './contracts/triage';

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

  it('a confirmed label is applied once, then triage goes on with it', async () => {
    const decision = { approved: true, label: 'positive', by: reviewer };
    const history = asked();
    history.episode(30).raised(`approval-${approvalId}`, decision);
    expect(await replay(history)).toEqual({ actions: [...waiting, { call: 'triageApplyReview', input: { ...input, decision } }], isDone: false });

    const apply = history.scheduled('triageApplyReview', { ...input, decision });
    history.episode(1).completed(apply, null);
    expect(await replay(history)).toMatchObject({ isDone: true, output: true });
  });

  it('a declined review applies nothing and triage stops', async () => {
    const history = asked();
    history.episode(30).raised(`approval-${approvalId}`, { approved: false, by: reviewer });
    expect(await replay(history)).toEqual({ actions: waiting, isDone: true, output: false });
  });

  it('an unanswered review expires: the approval is closed and nothing is applied', async () => {
    const history = asked();
    history.episode(48 * 60).timerFired(0, expiresAt);
    expect(await replay(history)).toEqual({ actions: [...waiting, { call: 'triageExpireReview', input: { ...input, approvalId } }], isDone: false });

    const expire = history.scheduled('triageExpireReview', { ...input, approvalId });
    history.episode(1).completed(expire, null);
    expect(await replay(history)).toMatchObject({ isDone: true, output: false });
  });

  it('an answer after the expiry changes nothing', async () => {
    const history = asked();
    history.episode(48 * 60).timerFired(0, expiresAt);
    const expire = history.scheduled('triageExpireReview', { ...input, approvalId });
    history.episode(1).raised(`approval-${approvalId}`, { approved: true, label: 'positive', by: reviewer });
    history.completed(expire, null);
    const decision = await replay(history);
    expect(decision).toMatchObject({ isDone: true, output: false });
    expect(decision.actions.map((action) => ('call' in action ? action.call : undefined)).filter(Boolean)).toEqual(['triageExpireReview']);
  });
});

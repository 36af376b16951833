import { describe, expect, it } from 'vitest';
import { ApiProblem } from '@asep/shared/client/problem';
import { positiveReplyInsight, selectedMessage } from '../testing/insightFixtures';
import { initialInsightState, insightReducer, type InsightEvent, type InsightState } from './insightState';

function run(events: InsightEvent[], state: InsightState = initialInsightState): InsightState {
  return events.reduce(insightReducer, state);
}

const first = selectedMessage('<first@contoso.example>');
const second = selectedMessage('<second@contoso.example>');

describe('insight view state', () => {
  it('shows a loading skeleton until the selection is read, then until the insight arrives', () => {
    expect(initialInsightState.view.kind).toBe('loading');
    const selected = run([{ type: 'selected', message: first }]);
    expect(selected.view.kind).toBe('loading');
    expect(selected.request).toEqual({ seq: 1, internetMessageId: '<first@contoso.example>' });
  });

  it('shows the insight answered for the selected message', () => {
    const selected = run([{ type: 'selected', message: first }]);
    const insight = positiveReplyInsight({ internetMessageId: first.internetMessageId });

    const state = insightReducer(selected, { type: 'answered', request: selected.request!, insight });

    expect(state.view).toEqual({ kind: 'ready', insight });
  });

  it('never shows a late answer for the previously selected email', () => {
    const onFirst = run([{ type: 'selected', message: first }]);
    const onSecond = insightReducer(onFirst, { type: 'selected', message: second });
    const lateAnswer = positiveReplyInsight({ internetMessageId: first.internetMessageId });

    const afterLate = insightReducer(onSecond, { type: 'answered', request: onFirst.request!, insight: lateAnswer });
    expect(afterLate.view.kind).toBe('loading');

    const secondInsight = positiveReplyInsight({
      internetMessageId: second.internetMessageId,
      classification: { label: 'objection', confidence: 0.9 },
    });
    const answered = insightReducer(afterLate, { type: 'answered', request: onSecond.request!, insight: secondInsight });
    const lateFailure = insightReducer(answered, { type: 'failed', request: onFirst.request!, problem: new ApiProblem(500, 'Boom') });
    expect(lateFailure.view).toEqual({ kind: 'ready', insight: secondInsight });
  });

  it('drops an answer to an earlier request for the same email once it was asked again', () => {
    const selected = run([{ type: 'selected', message: first }]);
    const reselected = insightReducer(selected, { type: 'selected', message: first });

    const stale = insightReducer(reselected, { type: 'answered', request: selected.request!, insight: positiveReplyInsight() });

    expect(stale.view.kind).toBe('loading');
  });

  it('says the email is not part of any campaign when the service does not know it', () => {
    const selected = run([{ type: 'selected', message: first }]);
    const state = insightReducer(selected, { type: 'failed', request: selected.request!, problem: new ApiProblem(404, 'Not found') });
    expect(state.view.kind).toBe('notInCampaign');
  });

  it('says the rep has no access on 401 and 403', () => {
    for (const status of [401, 403]) {
      const selected = run([{ type: 'selected', message: first }]);
      const state = insightReducer(selected, { type: 'failed', request: selected.request!, problem: new ApiProblem(status, 'Forbidden') });
      expect(state.view).toMatchObject({ kind: 'noAccess', problem: { status } });
    }
  });

  it('offers a retry after a service error, which asks again for the same email', () => {
    const selected = run([{ type: 'selected', message: first }]);
    const failed = insightReducer(selected, { type: 'failed', request: selected.request!, problem: new ApiProblem(503, 'Unavailable') });
    expect(failed.view.kind).toBe('failed');

    const retried = insightReducer(failed, { type: 'reloadRequested' });

    expect(retried.view.kind).toBe('loading');
    expect(retried.request).toEqual({ seq: 2, internetMessageId: first.internetMessageId });
  });

  it('keeps the insight on screen while it refreshes after an action', () => {
    const selected = run([{ type: 'selected', message: first }]);
    const ready = insightReducer(selected, { type: 'answered', request: selected.request!, insight: positiveReplyInsight() });

    const refreshing = insightReducer(ready, { type: 'reloadRequested' });

    expect(refreshing.view.kind).toBe('ready');
    expect(refreshing.request?.seq).toBe(2);
  });

  it('asks the rep to select an email when a pinned pane has nothing selected', () => {
    const state = run([
      { type: 'selected', message: first },
      { type: 'selected', message: null },
    ]);
    expect(state.view.kind).toBe('noSelection');
    expect(state.request).toBeNull();
  });
});

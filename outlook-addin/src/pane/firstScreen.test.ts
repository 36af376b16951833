import type { PaneInsight } from '@asep/shared/insights/insight';
import { ApiProblem } from '@asep/shared/client/problem';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { withInsightInFlight } from '../api/insightInFlight';
import { replaceMailboxWithStandIn } from '../office/mailbox';
import { createStandInMailbox } from '../office/standInMailbox';
import { positiveReplyInsight } from '../testing/insightFixtures';
import { firstScreenWithin } from './firstScreen';

const replyId = '<reply-ana@contoso.example>';
const repToken = `header.${btoa(JSON.stringify({ roles: ['Operator'] }))}.signature`;

/** A service whose insight answers come when the test says. */
function service() {
  const answers: { resolve: (insight: PaneInsight) => void; reject: (error: unknown) => void }[] = [];
  const insightForMessage = vi.fn(
    () =>
      new Promise<PaneInsight>((resolve, reject) => {
        answers.push({ resolve, reject });
      }),
  );
  const api = withInsightInFlight({ insightForMessage } as unknown as ApiClient, replyId);
  return { api, insightForMessage, answers };
}

async function selectReply() {
  replaceMailboxWithStandIn(
    await createStandInMailbox(
      async (internetMessageId) => ({
        internetMessageId,
        from: 'Ana Silva <ana@contoso.example>',
        subject: 'Re: Quick question',
        conversationId: 'conv-ana',
      }),
      replyId,
    ),
  );
}

afterEach(() => vi.useRealTimers());

describe("the pane's first screen", () => {
  it('is the insight itself when the sign-in and the answer already on its way come in time', async () => {
    await selectReply();
    const { api, insightForMessage, answers } = service();
    const screen = firstScreenWithin(api, async () => repToken, 300);
    answers[0]!.resolve(positiveReplyInsight());

    const first = await screen;
    expect(first?.roles).toEqual(['Operator']);
    expect(first?.insight.message?.subject).toBe('Re: Quick question');
    expect(first?.insight.view).toMatchObject({ kind: 'ready', insight: { classification: { label: 'positive' } } });
    // The answer was taken: a reload after an action asks the service again instead of showing it twice.
    void api.insightForMessage(replyId);
    expect(insightForMessage).toHaveBeenCalledTimes(2);
  });

  it('says the email is not in a campaign at once when that is the answer in time', async () => {
    await selectReply();
    const { api, answers } = service();
    const screen = firstScreenWithin(api, async () => repToken, 300);
    answers[0]!.reject(new ApiProblem(404, 'Not found', 'No campaign knows this email.'));

    expect((await screen)?.insight.view.kind).toBe('notInCampaign');
  });

  it('leaves the pane to its skeleton when the answer is late, and hands that answer to the pane’s own first request', async () => {
    vi.useFakeTimers();
    await selectReply();
    const { api, insightForMessage, answers } = service();
    const screen = firstScreenWithin(api, async () => repToken, 300);
    await vi.advanceTimersByTimeAsync(300);
    expect(await screen).toBeUndefined();

    const paneRequest = api.insightForMessage(replyId);
    answers[0]!.resolve(positiveReplyInsight());
    expect((await paneRequest).internetMessageId).toBe(replyId);
    expect(insightForMessage).toHaveBeenCalledTimes(1);
  });

  it('leaves a failed sign-in to the pane, which says so and offers Retry', async () => {
    await selectReply();
    const { api } = service();
    expect(await firstScreenWithin(api, () => Promise.reject(new Error('consent required')), 300)).toBeUndefined();
  });
});

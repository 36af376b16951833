import type { ApiClient } from './client';

/** A client whose first insight may already be on its way. */
export type ClientWithInsightInFlight = ApiClient & {
  /** The answer on its way for `internetMessageId`, without taking it: undefined once taken or if none was asked. */
  insightInFlight(internetMessageId: string): ReturnType<ApiClient['insightForMessage']> | undefined;
};

/**
 * Asks for the insight of `internetMessageId` now (when an email is selected), and hands that answer to the pane's
 * first request for it: the pane shows the first email after one insight round trip, however long its own start
 * takes. Later requests (another email, a reload after an action) go to the service as usual.
 */
export function withInsightInFlight(api: ApiClient, internetMessageId: string | undefined): ClientWithInsightInFlight {
  let inFlight = internetMessageId === undefined ? undefined : api.insightForMessage(internetMessageId);
  // Whoever takes the answer handles its failure; until then it must not count as unhandled.
  inFlight?.catch(() => undefined);
  return {
    ...api,
    insightForMessage: (id, signal) => {
      const answer = id === internetMessageId ? inFlight : undefined;
      inFlight = undefined;
      return answer ?? api.insightForMessage(id, signal);
    },
    insightInFlight: (id) => (id === internetMessageId ? inFlight : undefined),
  };
}

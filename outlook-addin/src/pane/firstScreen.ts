import type { Role } from '@asep/shared/access/roles';
import type { AccessTokenSource } from '@asep/shared/client/dev-token';
import { asApiProblem } from '@asep/shared/client/problem';
import { readTokenClaims } from '@asep/shared/client/token-claims';
import type { ClientWithInsightInFlight } from '../api/insightInFlight';
import { initialInsightState, insightReducer, type InsightEvent, type InsightState } from '../insight/insightState';
import { readSelectedMessage } from '../office/mailbox';

/** Everything the pane's first screen shows: who signed in, and the selected email's insight or why there is none. */
export interface FirstScreen {
  roles: Role[];
  insight: InsightState;
}

const elapsed = (ms: number) => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms));

/**
 * Waits up to `withinMs` for the sign-in, the selection and the insight already on its way, so the pane's first
 * render is the insight itself. Rendering a skeleton, then the signed-in pane, then the selection, then the
 * answer costs the reader's CPU four times over on a slow machine. When any of them takes longer (or fails, or
 * no insight is on its way), the answer is undefined and the pane starts as it otherwise would: skeleton first.
 */
export async function firstScreenWithin(api: ClientWithInsightInFlight, accessToken: AccessTokenSource, withinMs: number) {
  const everythingIn = Promise.all([accessToken().then((token) => readTokenClaims(token).roles), readSelectedMessage()]).then(
    async ([roles, message]) => {
      const selected = insightReducer(initialInsightState, { type: 'selected', message });
      if (!selected.request) return { roles, selected, request: null };
      const answer = api.insightInFlight(selected.request.internetMessageId);
      if (!answer) return undefined;
      await answer.catch(() => undefined);
      return { roles, selected, request: selected.request };
    },
  );
  const inTime = await Promise.race([everythingIn.catch(() => undefined), elapsed(withinMs)]);
  if (!inTime) return undefined;
  const { roles, selected, request } = inTime;
  if (!request) return { roles, insight: selected } satisfies FirstScreen;
  // Taken, so that a later request for the same email (a reload after an action) asks the service again.
  const answered: InsightEvent = await api.insightForMessage(request.internetMessageId).then(
    (insight) => ({ type: 'answered', request, insight }),
    (error: unknown) => ({ type: 'failed', request, problem: asApiProblem(error) }),
  );
  return { roles, insight: insightReducer(selected, answered) } satisfies FirstScreen;
}

import { useCallback, useEffect, useReducer, useState } from 'react';
import type { ApiClient } from '../api/client';
import { asApiProblem, isAbort } from '@asep/shared/client/problem';
import { onSelectedItemChanged, readSelectedMessage } from '../office/mailbox';
import { initialInsightState, insightReducer, type InsightEvent, type InsightState } from './insightState';

function readSelection(dispatch: (event: InsightEvent) => void, isStale: () => boolean = () => false) {
  readSelectedMessage().then(
    (message) => {
      if (!isStale()) dispatch({ type: 'selected', message });
    },
    (error: unknown) => {
      if (!isStale()) dispatch({ type: 'selectionUnreadable', problem: asApiProblem(error) });
    },
  );
}

/**
 * The insight for whatever message is selected in Outlook, following the selection while the pane is pinned.
 * Each request is tied to its message; switching messages aborts the old request, and the reducer drops any
 * answer that still arrives for it. `first`: the selection and its insight when the pane already has them.
 */
export function useMessageInsight(api: ApiClient, first?: InsightState) {
  const [state, dispatch] = useReducer(insightReducer, first ?? initialInsightState);
  const [followFailure, setFollowFailure] = useState<Error>();

  useEffect(() => {
    let unmounted = false;
    if (!first) readSelection(dispatch, () => unmounted);
    const unsubscribe = onSelectedItemChanged((message) => dispatch({ type: 'selected', message }), setFollowFailure);
    return () => {
      unmounted = true;
      unsubscribe();
    };
  }, []);

  const { request } = state;
  useEffect(() => {
    if (!request) return;
    const controller = new AbortController();
    api.insightForMessage(request.internetMessageId, controller.signal).then(
      (insight) => dispatch({ type: 'answered', request, insight }),
      (error: unknown) => {
        if (!isAbort(error)) dispatch({ type: 'failed', request, problem: asApiProblem(error) });
      },
    );
    return () => controller.abort();
  }, [api, request]);

  const hasMessage = Boolean(state.message);
  /** Asks again: for the insight of the selected message, or for the selection itself if that failed. */
  const reload = useCallback(() => {
    if (hasMessage) dispatch({ type: 'reloadRequested' });
    else readSelection(dispatch);
  }, [hasMessage]);

  return { message: state.message, view: state.view, reload, followFailure };
}

import type { PaneInsight } from '@asep/shared/insights/insight';
import type { ApiProblem } from '@asep/shared/client/problem';
import type { SelectedMessage } from '../office/mailbox';

/** One insight request for one message. A response counts only while its request is the current one. */
export interface InsightRequest {
  seq: number;
  internetMessageId: string;
}

export type InsightView =
  | { kind: 'loading' }
  | { kind: 'noSelection' }
  | { kind: 'ready'; insight: PaneInsight }
  | { kind: 'notInCampaign' }
  | { kind: 'noAccess'; problem: ApiProblem }
  | { kind: 'failed'; problem: ApiProblem };

export interface InsightState {
  /** The message selected in Outlook right now; undefined until the pane has read the selection. */
  message: SelectedMessage | null | undefined;
  /** The request whose answer the pane waits for, if any. */
  request: InsightRequest | null;
  /** Sequence number of the latest request, so that every request, even for the same email, is told apart. */
  lastSeq: number;
  view: InsightView;
}

export type InsightEvent =
  | { type: 'selected'; message: SelectedMessage | null }
  | { type: 'selectionUnreadable'; problem: ApiProblem }
  /** Ask again for the selected message: after a failure (retry) or after an action changed the data. */
  | { type: 'reloadRequested' }
  | { type: 'answered'; request: InsightRequest; insight: PaneInsight }
  | { type: 'failed'; request: InsightRequest; problem: ApiProblem };

export const initialInsightState: InsightState = { message: undefined, request: null, lastSeq: 0, view: { kind: 'loading' } };

export function insightReducer(state: InsightState, event: InsightEvent): InsightState {
  const seq = state.lastSeq + 1;
  switch (event.type) {
    case 'selected':
      if (!event.message) return { ...state, message: null, request: null, view: { kind: 'noSelection' } };
      return {
        message: event.message,
        request: { seq, internetMessageId: event.message.internetMessageId },
        lastSeq: seq,
        view: { kind: 'loading' },
      };
    case 'selectionUnreadable':
      return { ...state, message: undefined, request: null, view: { kind: 'failed', problem: event.problem } };
    case 'reloadRequested':
      if (!state.message) return state;
      return {
        ...state,
        request: { seq, internetMessageId: state.message.internetMessageId },
        lastSeq: seq,
        // What is on screen stays while it refreshes: it is still about the selected message.
        view: state.view.kind === 'ready' || state.view.kind === 'notInCampaign' ? state.view : { kind: 'loading' },
      };
    case 'answered':
      if (!isCurrent(state, event.request)) return state;
      return { ...state, request: null, view: { kind: 'ready', insight: event.insight } };
    case 'failed':
      if (!isCurrent(state, event.request)) return state;
      return { ...state, request: null, view: viewOfProblem(event.problem) };
  }
}

/** A late answer to an earlier request (say, for the previously selected email) is dropped. */
function isCurrent(state: InsightState, request: InsightRequest): boolean {
  return state.request?.seq === request.seq && state.message?.internetMessageId === request.internetMessageId;
}

function viewOfProblem(problem: ApiProblem): InsightView {
  if (problem.status === 404) return { kind: 'notInCampaign' };
  if (problem.status === 401 || problem.status === 403) return { kind: 'noAccess', problem };
  return { kind: 'failed', problem };
}

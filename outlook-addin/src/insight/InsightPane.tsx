import { Caption1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { Role } from '@asep/shared/access/roles';
import { Fragment } from 'react';
import type { ApiClient } from '../api/client';
import type { SelectedMessage } from '../office/mailbox';
import { PaneNotice } from '../pane/PaneNotice';
import { ActionBar } from './ActionBar';
import { DraftDetails } from '../draft/DraftDetails';
import { InsightDetails } from './InsightDetails';
import { InsightSkeleton } from './InsightSkeleton';
import { senderLine } from './labels';
import type { InsightState, InsightView } from './insightState';
import { actionsForUnknownSender } from './paneActions';
import { useMessageInsight } from './useMessageInsight';

const useStyles = makeStyles({
  header: {
    display: 'grid',
    gap: tokens.spacingVerticalXXS,
    paddingBlockEnd: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  subject: { margin: 0 },
});

export interface InsightPaneProps {
  api: ApiClient;
  roles: readonly Role[];
  /** The selection and its insight as the pane already has them when it first renders. */
  firstInsight?: InsightState;
}

/** The pane for whichever email is selected, following the selection when pinned. */
export function InsightPane({ api, roles, firstInsight }: InsightPaneProps) {
  const { message, view, reload, followFailure } = useMessageInsight(api, firstInsight);
  return (
    <>
      {followFailure && (
        <PaneNotice intent="warning" title="This pane can't follow your selection">
          This version of Outlook does not tell add-ins when you select another email. Reopen the pane for each email.
        </PaneNotice>
      )}
      {message && <MessageHeader message={message} />}
      <InsightBody view={view} message={message ?? null} roles={roles} api={api} reload={reload} />
    </>
  );
}

function MessageHeader({ message }: { message: SelectedMessage }) {
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <Subtitle2 as="h1" className={styles.subject}>
        {message.subject || '(no subject)'}
      </Subtitle2>
      {message.from && <Caption1>{senderLine(message.from)}</Caption1>}
    </header>
  );
}

export interface InsightBodyProps {
  view: InsightView;
  message: SelectedMessage | null;
  roles: readonly Role[];
  api: ApiClient;
  reload: () => void;
}

/** One state of the pane at a time; every state says something, so the pane is never blank. */
export function InsightBody({ view, message, roles, api, reload }: InsightBodyProps) {
  switch (view.kind) {
    case 'loading':
      return <InsightSkeleton />;
    case 'noSelection':
      return (
        <PaneNotice intent="info" title="Select an email">
          The pane shows what ASEP knows about the email you select.
        </PaneNotice>
      );
    case 'notInCampaign':
      return (
        <Fragment key={message?.internetMessageId}>
          <PaneNotice intent="info" title="Not part of any campaign">
            ASEP did not send this conversation, so there is nothing to classify or book here.
          </PaneNotice>
          <ActionBar actions={actionsForUnknownSender(roles, Boolean(message?.from))} insight={null} message={message} api={api} onChanged={reload} />
        </Fragment>
      );
    case 'noAccess':
      return view.problem.status === 401 ? (
        <PaneNotice intent="warning" title="No access: your sign-in was not accepted" onRetry={reload}>
          {view.problem.detail ?? 'Sign in to Outlook again, then retry.'}
        </PaneNotice>
      ) : (
        <PaneNotice intent="warning" title="No access">
          Your role does not allow you to see ASEP insights. Ask an ASEP admin for the Operator role.
        </PaneNotice>
      );
    case 'failed':
      return (
        <PaneNotice intent="error" title={`ASEP could not load this email: ${view.problem.title}`} onRetry={reload}>
          {view.problem.detail}
        </PaneNotice>
      );
    case 'ready':
      // Keyed by message: nothing typed, chosen or answered for one email can survive into another's view.
      return view.insight.kind === 'draft' ? (
        <DraftDetails key={view.insight.internetMessageId} draft={view.insight} />
      ) : (
        <InsightDetails key={view.insight.internetMessageId} insight={view.insight} message={message} roles={roles} api={api} onChanged={reload} />
      );
  }
}

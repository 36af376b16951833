import {
  Badge,
  Button,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { ListedCampaign } from '../api/responses';
import { useApi } from '../api/useApi';
import { formatInstant } from '../display/format';
import { ResourceView } from '../feedback/ResourceView';
import { useResource } from '../feedback/useResource';
import { PageHeader } from '../shell/PageHeader';
import { SuccessBar } from '../feedback/SuccessBar';
import { usePermission } from '../shell/session';
import { campaignStatus, canaryDecisions } from './campaignStatus';
import { HaltCanaryDialog } from './HaltCanaryDialog';
import { PromoteCanaryDialog } from './PromoteCanaryDialog';
import { StartCampaignDialog } from './StartCampaignDialog';
import { StopCampaignDialog } from './StopCampaignDialog';

const useStyles = makeStyles({
  name: { display: 'flex', flexDirection: 'column' },
  subtle: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
});

type Dialog = { kind: 'start' | 'promote' | 'halt' | 'stop'; campaign: ListedCampaign };

/** Campaigns and their status; Managers start them (optionally with a canary first), promote or halt the canary, and stop them. */
export default function CampaignsPage() {
  const styles = useStyles();
  const api = useApi();
  const canRun = usePermission('campaigns.run');
  const campaigns = useResource(useCallback((signal: AbortSignal) => api.campaigns(signal), [api]));
  const [dialog, setDialog] = useState<Dialog>();
  const [outcome, setOutcome] = useState<string>();

  const finished = (message: string) => {
    setOutcome(message);
    campaigns.reload();
  };

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Start a campaign with a small canary first, then send to everyone once the canary looks right."
        refresh={campaigns}
      />
      {outcome && <SuccessBar>{outcome}</SuccessBar>}
      <ResourceView
        resource={campaigns}
        loadingLabel="Loading campaigns…"
        isEmpty={(list) => list.length === 0}
        empty="There are no campaigns yet. RevOps creates them through the API or an import."
      >
        {(list) => (
          <Table aria-label="Campaigns" className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Campaign</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Prospects</TableHeaderCell>
                <TableHeaderCell>Started</TableHeaderCell>
                {canRun && <TableHeaderCell>Actions</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((campaign) => {
                const status = campaignStatus(campaign);
                const canary = canaryDecisions(campaign);
                return (
                  <TableRow key={campaign.id}>
                    <TableCell>
                      <div className={styles.name}>
                        <Text weight="semibold">{campaign.name}</Text>
                        <Text size={200} className={styles.subtle}>
                          {campaign.mailbox}
                        </Text>
                      </div>
                    </TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={status.color}>
                        {status.text}
                      </Badge>
                    </TableCell>
                    <TableCell>{campaign.enrolled}</TableCell>
                    <TableCell>{campaign.startedAt ? formatInstant(campaign.startedAt) : 'Not yet'}</TableCell>
                    {canRun && (
                      <TableCell>
                        <div className={styles.actions}>
                          {campaign.status !== 'running' && (
                            <Button size="small" appearance="primary" onClick={() => setDialog({ kind: 'start', campaign })}>
                              Start…
                            </Button>
                          )}
                          {canary.promote && (
                            <Button size="small" appearance="primary" onClick={() => setDialog({ kind: 'promote', campaign })}>
                              Promote…
                            </Button>
                          )}
                          {canary.halt && (
                            <Button size="small" onClick={() => setDialog({ kind: 'halt', campaign })}>
                              Halt…
                            </Button>
                          )}
                          {campaign.status === 'running' && (
                            <Button size="small" onClick={() => setDialog({ kind: 'stop', campaign })}>
                              Stop…
                            </Button>
                          )}
                        </div>
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </ResourceView>
      {dialog?.kind === 'start' && <StartCampaignDialog campaign={dialog.campaign} onClose={() => setDialog(undefined)} onStarted={finished} />}
      {dialog?.kind === 'promote' && <PromoteCanaryDialog campaign={dialog.campaign} onClose={() => setDialog(undefined)} onPromoted={finished} />}
      {dialog?.kind === 'halt' && <HaltCanaryDialog campaign={dialog.campaign} onClose={() => setDialog(undefined)} onHalted={finished} />}
      {dialog?.kind === 'stop' && <StopCampaignDialog campaign={dialog.campaign} onClose={() => setDialog(undefined)} onStopped={finished} />}
    </>
  );
}

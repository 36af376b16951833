import { Button, Checkbox, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { Approval } from '@asep/shared/approvals/approval';
import { useApi } from '../api/useApi';
import { CampaignFilter } from '../feedback/FilterSelect';
import { LoadedCount } from '../feedback/LoadedCount';
import { LoadMore } from '../feedback/LoadMore';
import { ResourceView } from '../feedback/ResourceView';
import { useCampaigns } from '../feedback/useCampaigns';
import { useListStyles } from '../feedback/useListStyles';
import { usePagedList } from '../feedback/usePagedList';
import { PageHeader } from '../shell/PageHeader';
import { SuccessBar } from '../feedback/SuccessBar';
import { usePermission } from '../shell/session';
import { ApprovalItem } from './ApprovalItem';
import { BulkApproveDialog } from './BulkApproveDialog';
import { isBulkApprovable } from './approvalText';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

const pageSize = 50;

/** What waits for a manager, newest first, a page at a time: the same approve / reject / create-deal decisions as the Teams cards. */
export default function ApprovalsPage() {
  const styles = useStyles();
  const listStyles = useListStyles();
  const api = useApi();
  const canDecide = usePermission('approvals.decide');
  const [campaignId, setCampaignId] = useState<string>();
  const { campaigns } = useCampaigns();
  const pendingList = usePagedList(
    useCallback(
      (continuationToken: string | undefined, signal?: AbortSignal) =>
        api.approvals({ status: 'pending', campaignId }, pageSize, continuationToken, signal),
      [api, campaignId],
    ),
    (approval: Approval) => approval.id,
  );
  const approvals = pendingList.resource;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const [outcome, setOutcome] = useState<string>();

  // While a newly filtered first page loads, another campaign's approvals are not shown as if they matched.
  const pending = (approvals.data?.items ?? []).filter((approval) => !campaignId || approval.campaignId === campaignId);
  const approvable = pending.filter(isBulkApprovable);
  const chosen = approvable.filter((approval) => selected.has(approval.id));

  const decided = useCallback(
    (ids: readonly string[], message: string) => {
      approvals.update((page) => ({ ...page, items: page.items.filter((approval) => !ids.includes(approval.id)) }));
      setSelected((current) => new Set([...current].filter((id) => !ids.includes(id))));
      setOutcome(message);
    },
    [approvals],
  );

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const allChosen = approvable.length > 0 && chosen.length === approvable.length;

  return (
    <>
      <PageHeader
        title="Approvals"
        description="Emails and deals waiting for a manager's decision. Nothing here is sent until someone approves it."
        refresh={approvals}
        actions={
          <>
            {canDecide && (
              <Button appearance="primary" disabled={chosen.length === 0} onClick={() => setBulkOpen(true)}>
                Approve selected ({chosen.length})…
              </Button>
            )}
          </>
        }
      />
      {outcome && <SuccessBar>{outcome}</SuccessBar>}
      <div className={listStyles.toolbar}>
        <CampaignFilter campaigns={campaigns} value={campaignId} onChange={setCampaignId} />
        <LoadedCount list={pendingList} shown={pending.length} noun="approvals" />
      </div>
      <ResourceView
        resource={approvals}
        loadingLabel="Loading approvals…"
        isEmpty={(page) => page.items.length === 0}
        empty="Nothing is waiting for a decision. New approvals appear here, and as cards in Teams, as campaigns run."
      >
        {() => (
          <>
            {canDecide && approvable.length > 1 && (
              <Checkbox
                label={`Select all ${approvable.length} emails`}
                checked={allChosen ? true : chosen.length > 0 ? 'mixed' : false}
                onChange={(_, data) => setSelected(data.checked === true ? new Set(approvable.map((approval) => approval.id)) : new Set())}
              />
            )}
            <div className={styles.list}>
              {pending.map((approval) => (
                <ApprovalItem
                  key={approval.id}
                  approval={approval}
                  canDecide={canDecide}
                  selected={selected.has(approval.id)}
                  onSelectedChange={(on) => toggle(approval.id, on)}
                  onDecided={(message) => decided([approval.id], message)}
                />
              ))}
            </div>
            <LoadMore list={pendingList} label={`Load the next ${pageSize} approvals`} />
          </>
        )}
      </ResourceView>
      {bulkOpen && <BulkApproveDialog approvals={chosen} onClose={() => setBulkOpen(false)} onApproved={decided} />}
    </>
  );
}

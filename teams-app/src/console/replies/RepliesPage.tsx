import { useCallback, useState } from 'react';
import { replyLabels } from '@asep/shared/classification/labels';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { replyStatuses, type ListedReply, type ReplyStatus } from '@asep/shared/insights/listed-reply';
import type { ReplyFilter } from '../api/client';
import { useApi } from '../api/useApi';
import { formatInstant } from '../display/format';
import { CampaignFilter, FilterSelect } from '../feedback/FilterSelect';
import { LoadedCount } from '../feedback/LoadedCount';
import { PagedTable } from '../feedback/PagedTable';
import { useCampaigns } from '../feedback/useCampaigns';
import { useListStyles } from '../feedback/useListStyles';
import { usePagedList } from '../feedback/usePagedList';
import { PageHeader } from '../shell/PageHeader';

const pageSize = 50;

const statusNames: Record<ReplyStatus, string> = { pending: 'Being triaged', done: 'Triaged', unmatched: 'Matched no email of ours' };

/** The tenant's replies, newest first, a page at a time: by campaign, triage status and label. */
export default function RepliesPage() {
  const styles = useListStyles();
  const api = useApi();
  const [filter, setFilter] = useState<ReplyFilter>({});
  const { campaigns, campaignName } = useCampaigns();

  const replies = usePagedList(
    useCallback(
      (continuationToken: string | undefined, signal?: AbortSignal) => api.replies(filter, pageSize, continuationToken, signal),
      [api, filter],
    ),
    (reply: ListedReply) => reply.internetMessageId,
  );
  // While a newly filtered first page loads, replies the filter leaves out are not shown as if they matched.
  const matches = (reply: ListedReply) =>
    (!filter.campaignId || reply.campaignId === filter.campaignId) &&
    (!filter.status || reply.status === filter.status) &&
    (!filter.label || reply.label === filter.label);
  const loaded = (replies.resource.data?.items ?? []).filter(matches);

  return (
    <>
      <PageHeader title="Replies" description="What prospects wrote back, newest first, and what reply triage made of each." />
      <div className={styles.toolbar}>
        <CampaignFilter
          campaigns={campaigns}
          value={filter.campaignId}
          onChange={(campaignId) => setFilter((current) => ({ ...current, campaignId }))}
        />
        <FilterSelect
          label="Status"
          any="Any status"
          value={filter.status}
          options={replyStatuses.map((status) => [status, statusNames[status]] as const)}
          onChange={(status) => setFilter((current) => ({ ...current, status }))}
        />
        <FilterSelect
          label="Label"
          any="Any label"
          value={filter.label}
          options={replyLabels.map((label) => [label, replyLabelNames[label]] as const)}
          onChange={(label) => setFilter((current) => ({ ...current, label }))}
        />
        <LoadedCount list={replies} shown={loaded.length} noun="replies" />
      </div>
      <PagedTable
        list={replies}
        shown={loaded}
        label="Replies"
        noun="replies"
        pageSize={pageSize}
        rowKey={(reply) => reply.internetMessageId}
        empty="No replies match these filters."
        columns={[
          { header: 'Received', cell: (reply) => formatInstant(reply.at) },
          { header: 'From', cell: (reply) => reply.from },
          { header: 'Subject', cell: (reply) => reply.subject },
          { header: 'Campaign', cell: (reply) => campaignName(reply.campaignId) },
          { header: 'Label', cell: (reply) => (reply.label ? replyLabelNames[reply.label] : '—') },
          { header: 'Status', cell: (reply) => statusNames[reply.status] },
          { header: 'Next step', cell: (reply) => reply.nextAction?.label ?? '—' },
        ]}
      />
    </>
  );
}

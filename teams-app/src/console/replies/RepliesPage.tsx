import {
  Field,
  makeStyles,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { replyLabels } from '@asep/shared/classification/labels';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { replyStatuses, type ListedReply, type ReplyStatus } from '@asep/shared/insights/listed-reply';
import type { ListedCampaign } from '../api/responses';
import type { ReplyFilter } from '../api/client';
import { useApi } from '../api/useApi';
import { formatInstant } from '../display/format';
import { LoadMore } from '../feedback/LoadMore';
import { ResourceView } from '../feedback/ResourceView';
import { usePagedList } from '../feedback/usePagedList';
import { PageHeader } from '../shell/PageHeader';
import { usePermission } from '../shell/session';

const pageSize = 50;

const statusNames: Record<ReplyStatus, string> = { pending: 'Being triaged', done: 'Triaged', unmatched: 'Matched no email of ours' };

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  table: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
  subtle: { color: tokens.colorNeutralForeground2 },
});

/** One filter of the list: a choice of values, or `any` for no filter. */
function FilterSelect<V extends string>(props: {
  label: string;
  any: string;
  value: V | undefined;
  options: readonly (readonly [V, string])[];
  onChange: (value: V | undefined) => void;
}) {
  return (
    <Field label={props.label}>
      <Select value={props.value ?? ''} onChange={(_, data) => props.onChange((data.value || undefined) as V | undefined)}>
        <option value="">{props.any}</option>
        {props.options.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** The tenant's replies, newest first, a page at a time: by campaign, triage status and label. */
export default function RepliesPage() {
  const styles = useStyles();
  const api = useApi();
  const canReadCampaigns = usePermission('campaigns.read');
  const [filter, setFilter] = useState<ReplyFilter>({});
  const [campaigns, setCampaigns] = useState<ListedCampaign[]>([]);
  useEffect(() => {
    if (!canReadCampaigns) return;
    const controller = new AbortController();
    // Without the campaign list the filter offers "All campaigns" only; the replies still load.
    api.campaigns(controller.signal).then(setCampaigns, () => {});
    return () => controller.abort();
  }, [api, canReadCampaigns]);

  const replies = usePagedList(
    useCallback(
      (continuationToken: string | undefined, signal?: AbortSignal) => api.replies(filter, pageSize, continuationToken, signal),
      [api, filter],
    ),
    (reply: ListedReply) => reply.internetMessageId,
  );
  const campaignName = (id: string | undefined) => (id ? (campaigns.find((campaign) => campaign.id === id)?.name ?? id) : '—');
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
        <FilterSelect
          label="Campaign"
          any="All campaigns"
          value={filter.campaignId}
          options={campaigns.map((campaign) => [campaign.id, campaign.name] as const)}
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
        <Text className={styles.subtle} role="status">
          {loaded.length} replies loaded{replies.hasMore ? ', more below' : replies.complete ? ', all there are' : ''}.
        </Text>
      </div>
      <ResourceView
        resource={replies.resource}
        loadingLabel="Loading replies…"
        isEmpty={(page) => page.items.length === 0}
        empty="No replies match these filters."
      >
        {() => (
          <>
            <Table aria-label="Replies" className={styles.table}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Received</TableHeaderCell>
                  <TableHeaderCell>From</TableHeaderCell>
                  <TableHeaderCell>Subject</TableHeaderCell>
                  <TableHeaderCell>Campaign</TableHeaderCell>
                  <TableHeaderCell>Label</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Next step</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {loaded.map((reply) => (
                  <TableRow key={reply.internetMessageId}>
                    <TableCell>{formatInstant(reply.at)}</TableCell>
                    <TableCell>{reply.from}</TableCell>
                    <TableCell>{reply.subject}</TableCell>
                    <TableCell>{campaignName(reply.campaignId)}</TableCell>
                    <TableCell>{reply.label ? replyLabelNames[reply.label] : '—'}</TableCell>
                    <TableCell>{statusNames[reply.status]}</TableCell>
                    <TableCell>{reply.nextAction?.label ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <LoadMore list={replies} label={`Load the next ${pageSize} replies`} />
          </>
        )}
      </ResourceView>
    </>
  );
}

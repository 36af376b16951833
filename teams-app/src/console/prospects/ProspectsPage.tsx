import { useCallback, useState } from 'react';
import { displayName, prospectStatusSchema, type Prospect, type ProspectStatus } from '@asep/shared/prospects/prospect';
import type { ProspectFilter } from '../api/client';
import { useApi } from '../api/useApi';
import { CampaignFilter, FilterSelect } from '../feedback/FilterSelect';
import { LoadedCount } from '../feedback/LoadedCount';
import { PagedTable } from '../feedback/PagedTable';
import { useCampaigns } from '../feedback/useCampaigns';
import { useListStyles } from '../feedback/useListStyles';
import { usePagedList } from '../feedback/usePagedList';
import { PageHeader } from '../shell/PageHeader';

const pageSize = 50;

const statusNames: Record<ProspectStatus, string> = {
  new: 'New',
  enrolled: 'Enrolled',
  contacted: 'Contacted',
  replied: 'Replied',
  paused: 'Paused',
  suppressed: 'Suppressed',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
};

/** The tenant's prospects by e-mail address, a page at a time: by status and the campaign they are enrolled in. */
export default function ProspectsPage() {
  const styles = useListStyles();
  const api = useApi();
  const [filter, setFilter] = useState<ProspectFilter>({});
  const { campaigns } = useCampaigns();
  const prospects = usePagedList(
    useCallback(
      (continuationToken: string | undefined, signal?: AbortSignal) => api.prospects(filter, pageSize, continuationToken, signal),
      [api, filter],
    ),
    (prospect: Prospect) => prospect.id,
  );
  // While a newly filtered first page loads, prospects of another status are not shown as if they matched.
  const loaded = (prospects.resource.data?.items ?? []).filter((prospect) => !filter.status || prospect.status === filter.status);

  return (
    <>
      <PageHeader title="Prospects" description="Everyone imported or added, by e-mail address, and where each stands." />
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
          options={prospectStatusSchema.options.map((status) => [status, statusNames[status]] as const)}
          onChange={(status) => setFilter((current) => ({ ...current, status }))}
        />
        <LoadedCount list={prospects} shown={loaded.length} noun="prospects" />
      </div>
      <PagedTable
        list={prospects}
        shown={loaded}
        label="Prospects"
        noun="prospects"
        pageSize={pageSize}
        rowKey={(prospect) => prospect.id}
        empty="No prospects match these filters. Import a list to add some."
        columns={[
          { header: 'E-mail', cell: (prospect) => prospect.email },
          { header: 'Name', cell: (prospect) => displayName(prospect) },
          { header: 'Company', cell: (prospect) => prospect.company ?? '—' },
          { header: 'Title', cell: (prospect) => prospect.title ?? '—' },
          { header: 'Status', cell: (prospect) => statusNames[prospect.status] },
        ]}
      />
    </>
  );
}

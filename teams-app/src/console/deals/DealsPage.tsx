import { useCallback, useState } from 'react';
import { crmProductName, dealStageNames, dealStageSchema, type Deal } from '@asep/shared/deals/deal';
import type { DealFilter } from '../api/client';
import { useApi } from '../api/useApi';
import { formatAmount, formatInstant } from '../display/format';
import { CampaignFilter, FilterSelect } from '../feedback/FilterSelect';
import { LoadedCount } from '../feedback/LoadedCount';
import { PagedTable } from '../feedback/PagedTable';
import { useCampaigns } from '../feedback/useCampaigns';
import { useListStyles } from '../feedback/useListStyles';
import { usePagedList } from '../feedback/usePagedList';
import { PageHeader } from '../shell/PageHeader';

const pageSize = 50;

/** Where the deal is kept: a link to it in the CRM when there is one. */
function crmCell(deal: Deal) {
  if (!deal.crm) return '—';
  const name = crmProductName(deal.crm.system);
  return deal.crm.url ? <a href={deal.crm.url}>{name}</a> : name;
}

/** The deals replies have led to, newest first, a page at a time: by stage and campaign. */
export default function DealsPage() {
  const styles = useListStyles();
  const api = useApi();
  const [filter, setFilter] = useState<DealFilter>({});
  const { campaigns, campaignName } = useCampaigns();
  const deals = usePagedList(
    useCallback(
      (continuationToken: string | undefined, signal?: AbortSignal) => api.deals(filter, pageSize, continuationToken, signal),
      [api, filter],
    ),
    (deal: Deal) => deal.id,
  );
  // While a newly filtered first page loads, deals the filter leaves out are not shown as if they matched.
  const loaded = (deals.resource.data?.items ?? []).filter(
    (deal) => (!filter.stage || deal.stage === filter.stage) && (!filter.campaignId || deal.campaignId === filter.campaignId),
  );

  return (
    <>
      <PageHeader title="Deals" description="The deals replies have led to, newest first, and the CRM each is kept in." />
      <div className={styles.toolbar}>
        <CampaignFilter
          campaigns={campaigns}
          value={filter.campaignId}
          onChange={(campaignId) => setFilter((current) => ({ ...current, campaignId }))}
        />
        <FilterSelect
          label="Stage"
          any="Any stage"
          value={filter.stage}
          options={dealStageSchema.options.map((stage) => [stage, dealStageNames[stage]] as const)}
          onChange={(stage) => setFilter((current) => ({ ...current, stage }))}
        />
        <LoadedCount list={deals} shown={loaded.length} noun="deals" />
      </div>
      <PagedTable
        list={deals}
        shown={loaded}
        label="Deals"
        noun="deals"
        pageSize={pageSize}
        rowKey={(deal) => deal.id}
        empty="No deals match these filters."
        columns={[
          { header: 'Deal', cell: (deal) => deal.name },
          { header: 'Created', cell: (deal) => formatInstant(deal.createdAt) },
          { header: 'Stage', cell: (deal) => dealStageNames[deal.stage] },
          { header: 'Amount', cell: (deal) => (deal.amount === undefined ? '—' : formatAmount(deal.amount)) },
          { header: 'Contact', cell: (deal) => deal.contactEmail },
          { header: 'Campaign', cell: (deal) => campaignName(deal.campaignId) },
          { header: 'CRM', cell: crmCell },
        ]}
      />
    </>
  );
}

import { Field, Select } from '@fluentui/react-components';
import type { ListedCampaign } from '../api/responses';

/** One filter of a list: a choice of values, or `any` for no filter. */
export function FilterSelect<V extends string>(props: {
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

/** The campaign filter of a list, over the tenant's campaigns (see useCampaigns). */
export function CampaignFilter(props: {
  campaigns: readonly ListedCampaign[];
  value: string | undefined;
  onChange: (campaignId: string | undefined) => void;
}) {
  return (
    <FilterSelect
      label="Campaign"
      any="All campaigns"
      value={props.value}
      options={props.campaigns.map((campaign) => [campaign.id, campaign.name] as const)}
      onChange={props.onChange}
    />
  );
}

import type { FactSource } from '../research/fact';

/** Where a fact came from, as a rep or an approver reads it beside the sentence it supports. */
export const factSourceNames: Record<FactSource, string> = {
  import: 'Imported prospect data',
  crm: 'CRM',
  mail: 'Past emails with them',
  website: 'Company website',
  campaign: 'Campaign',
};

export function factSourceName(source: string): string {
  return (factSourceNames as Record<string, string>)[source] ?? source;
}

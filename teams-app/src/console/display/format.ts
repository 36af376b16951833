const instantFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const countFormat = new Intl.NumberFormat();
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const amountFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** An ISO instant in the reader's locale and time zone; text that is not a date is shown as it is. */
export function formatInstant(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : instantFormat.format(date);
}

export const formatCount = (value: number) => countFormat.format(value);

/** A ratio (0.125) as a percentage ("12.5%"). */
export const formatPercent = (ratio: number) => percentFormat.format(ratio);

/** A pipeline amount; the API keeps amounts currency-less, as the CRM does. */
export const formatAmount = (value: number) => amountFormat.format(value);

/** Dates and times as the rep reads them: the browser's language, an explicit time zone where one matters. */

/**
 * The day of an instant in `timeZone` (the rep's by default). A bare date (`2025-06-10`, as an out-of-office
 * return date) names a calendar day, not an instant, so it is shown as that day wherever the rep is.
 */
export function formatDay(iso: string, timeZone?: string): string {
  const isBareDate = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: isBareDate ? 'UTC' : timeZone }).format(
    new Date(iso),
  );
}

export function formatDateTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

export function formatTimeRange(start: string, end: string, timeZone?: string): string {
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone });
  return `${time.format(new Date(start))}–${time.format(new Date(end))}`;
}

/** `America/New_York` → `New York`: how people name a zone. */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

function weekdayIn(timeZone: string, instant: Date): string {
  let formatter = weekdayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
    weekdayFormatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

export function isWeekend(instant: Date, timeZone: string): boolean {
  const weekday = weekdayIn(timeZone, instant);
  return weekday === 'Sat' || weekday === 'Sun';
}

/** Adds business days as the prospect lives them: weekends in their own time zone do not count. */
export function addBusinessDays(start: Date, days: number, timeZone = 'UTC'): Date {
  let instant = new Date(start);
  let remaining = days;
  while (remaining > 0) {
    instant = new Date(instant.getTime() + 86_400_000);
    if (!isWeekend(instant, timeZone)) remaining -= 1;
  }
  return instant;
}

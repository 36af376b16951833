/** Length of a bar for `value` on a scale where `max` fills `width`; never negative, never past the end. */
export function barLength(value: number, max: number, width: number): number {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.min(width, (value / max) * width);
}

/** What a screen reader hears for a chart: every value, since the picture itself says nothing to it. */
export function describeChart(
  title: string,
  seriesNames: readonly string[],
  rows: readonly { label: string; values: readonly number[] }[],
  format: (value: number) => string,
): string {
  const parts = rows.map(
    (row) => `${row.label}: ${row.values.map((value, index) => `${format(value)} ${seriesNames[index] ?? ''}`.trim()).join(', ')}`,
  );
  return `${title}. ${parts.join('; ')}.`;
}

import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { barLength, describeChart } from './barChart';

const useStyles = makeStyles({
  figure: { margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  svg: { width: '100%', maxWidth: '44rem', height: 'auto' },
  label: { fill: tokens.colorNeutralForeground1, fontSize: '12px', fontFamily: tokens.fontFamilyBase },
  value: { fill: tokens.colorNeutralForeground2, fontSize: '12px', fontFamily: tokens.fontFamilyBase },
  series0: { fill: tokens.colorBrandBackground, backgroundColor: tokens.colorBrandBackground },
  series1: { fill: tokens.colorPaletteDarkOrangeBackground3, backgroundColor: tokens.colorPaletteDarkOrangeBackground3 },
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, margin: 0, padding: 0, listStyle: 'none' },
  legendItem: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { width: '12px', height: '12px', borderRadius: tokens.borderRadiusSmall },
});

interface BarChartProps {
  title: string;
  /** One or two series, drawn as bars side by side for each row. */
  series: readonly [string] | readonly [string, string];
  rows: readonly { label: string; values: readonly number[] }[];
  format: (value: number) => string;
}

const width = 640;
const labelWidth = 170;
const valueWidth = 80;
const barHeight = 16;
const rowGap = 12;

/** Horizontal bars in plain SVG, labelled with their values; screen readers get the numbers as text. */
export function BarChart({ title, series, rows, format }: BarChartProps) {
  const styles = useStyles();
  const seriesClasses = [styles.series0, styles.series1];
  const max = Math.max(0, ...rows.flatMap((row) => row.values));
  const rowHeight = series.length * barHeight + rowGap;
  const height = Math.max(rowHeight, rows.length * rowHeight);
  const barArea = width - labelWidth - valueWidth;

  return (
    <figure className={styles.figure}>
      <Text as="h3" size={400} weight="semibold">
        {title}
      </Text>
      {series.length > 1 && (
        <ul className={styles.legend} aria-hidden="true">
          {series.map((name, index) => (
            <li key={name} className={styles.legendItem}>
              <span className={mergeClasses(styles.swatch, seriesClasses[index])} />
              <Text size={200}>{name}</Text>
            </li>
          ))}
        </ul>
      )}
      <svg className={styles.svg} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={describeChart(title, series, rows, format)}>
        {rows.map((row, rowIndex) => {
          const top = rowIndex * rowHeight;
          return (
            <g key={row.label}>
              <text className={styles.label} x={labelWidth - 8} y={top + (series.length * barHeight) / 2 + 4} textAnchor="end">
                {row.label.length > 26 ? `${row.label.slice(0, 25)}…` : row.label}
              </text>
              {row.values.map((value, index) => {
                const length = barLength(value, max, barArea);
                const y = top + index * barHeight;
                return (
                  <g key={series[index] ?? index}>
                    <rect className={seriesClasses[index]} x={labelWidth} y={y + 2} width={length} height={barHeight - 4} rx={2} />
                    <text className={styles.value} x={labelWidth + length + 6} y={y + barHeight - 4}>
                      {format(value)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

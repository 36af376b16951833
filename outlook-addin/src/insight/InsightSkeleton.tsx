import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

/*
 * Drawn with a few styled blocks rather than Fluent's Skeleton: it is the pane's very first paint, and Fluent's
 * skeleton package added ~3 KB gzip to the JS every first render waits for.
 */
const useStyles = makeStyles({
  skeleton: { display: 'grid', gap: tokens.spacingVerticalM, marginBlock: tokens.spacingVerticalM },
  item: {
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralStencil1,
    animationName: { '0%': { opacity: 1 }, '50%': { opacity: 0.5 }, '100%': { opacity: 1 } },
    animationDuration: '1.5s',
    animationIterationCount: 'infinite',
    animationTimingFunction: 'ease-in-out',
    '@media (prefers-reduced-motion: reduce)': { animationName: 'none' },
  },
  short: { width: '40%' },
});

export function InsightSkeleton() {
  const styles = useStyles();
  const item = (height: number, short = false) => <div className={mergeClasses(styles.item, short && styles.short)} style={{ height }} />;
  return (
    <div role="progressbar" aria-busy="true" aria-label="Loading what ASEP knows about this email" className={styles.skeleton}>
      {item(24, true)}
      {item(16)}
      {item(16)}
      {item(48)}
      {item(16, true)}
    </div>
  );
}

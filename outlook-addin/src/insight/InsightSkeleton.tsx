import { Skeleton, SkeletonItem, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  skeleton: { display: 'grid', gap: tokens.spacingVerticalM, marginBlock: tokens.spacingVerticalM },
  short: { width: '40%' },
});

export function InsightSkeleton() {
  const styles = useStyles();
  return (
    <Skeleton aria-label="Loading what ASEP knows about this email" className={styles.skeleton}>
      <SkeletonItem size={24} className={styles.short} />
      <SkeletonItem size={16} />
      <SkeletonItem size={16} />
      <SkeletonItem size={48} />
      <SkeletonItem size={16} className={styles.short} />
    </Skeleton>
  );
}

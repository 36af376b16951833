import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  titles: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

/** What the page shows and how to load it again. */
export interface Reloadable {
  reload: () => void;
  loading: boolean;
}

/** A page's title (its one h1), what the page is for, and its page-wide buttons, Refresh first when the page can reload. */
export function PageHeader({
  title,
  description,
  actions,
  refresh,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  refresh?: Reloadable;
}) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <div className={styles.titles}>
        <Text as="h1" size={600} weight="semibold" className={styles.heading}>
          {title}
        </Text>
        {description && <Text>{description}</Text>}
      </div>
      {(actions || refresh) && (
        <div className={styles.actions}>
          {refresh && (
            <Button onClick={refresh.reload} disabled={refresh.loading}>
              Refresh
            </Button>
          )}
          {actions}
        </div>
      )}
    </div>
  );
}

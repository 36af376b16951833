import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useId, type ReactNode } from 'react';

const useStyles = makeStyles({
  section: { display: 'grid', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalS },
  heading: { margin: 0, color: tokens.colorNeutralForeground2 },
});

/** A titled part of the pane; the heading names the region for screen readers too. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = useStyles();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={styles.section}>
      <Text as="h2" id={headingId} size={200} weight="semibold" className={styles.heading}>
        {title}
      </Text>
      {children}
    </section>
  );
}

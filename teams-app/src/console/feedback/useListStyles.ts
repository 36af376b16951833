import { makeStyles, tokens } from '@fluentui/react-components';

/** A paged list page's filter bar and table, sized by content. */
export const useListStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  table: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
});

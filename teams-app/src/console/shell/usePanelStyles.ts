import { makeStyles, tokens } from '@fluentui/react-components';

/** The raised panel each console page groups its content in (a `<section>` with its own heading). */
export const usePanelStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  /** For panels of figures and tables, which need more room between their parts. */
  roomy: { gap: tokens.spacingVerticalM },
});

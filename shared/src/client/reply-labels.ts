import type { ReplyLabel } from '../classification/labels';

/** How every surface (taskpane, console, Teams cards) names a reply's label. */
export const replyLabelNames: Record<ReplyLabel, string> = {
  positive: 'Positive',
  neutral: 'Neutral',
  objection: 'Objection',
  unsubscribe: 'Unsubscribe',
  ooo: 'Out of office',
  bounce: 'Bounce',
};

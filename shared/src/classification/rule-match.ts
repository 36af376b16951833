import type { ReplyLabel } from './schema';

/** The obvious signals checked before the model, in the order they are checked. */
export const ruleNames = [
  'spam-complaint',
  'delivery-report',
  'auto-reply-header',
  'auto-reply-subject',
  'unsubscribe-request',
  'out-of-office-text',
] as const;
export type RuleName = (typeof ruleNames)[number];

export interface RuleMatch {
  rule: RuleName;
  label: ReplyLabel;
  /** Human-readable facts, e.g. "Auto-Submitted: auto-replied header present". */
  facts: string[];
  /** The text that made the rule fire. */
  excerpt: string;
}

/** At most `max` characters of `text` starting a little before `start`, whitespace collapsed. */
export function excerptAround(text: string, start: number, max = 300): string {
  const from = Math.max(0, start - 80);
  return text
    .slice(from, from + max * 2)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

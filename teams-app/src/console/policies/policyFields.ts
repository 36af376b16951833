import { policyRulesSchema, type PolicyRules } from '@asep/shared/policy/document';

type Section = keyof PolicyRules;

/** One rule the form edits, named by its section and key in the policy document. */
export type PolicyField = { [S in Section]: { section: S; key: keyof PolicyRules[S] & string } }[Section] & {
  label: string;
  hint?: string;
  /** switch: on/off; number: a number; list: comma-separated words; choices: some of `options`. */
  kind: 'switch' | 'number' | 'list' | 'choices';
};

/** Reply labels a deal may be barred on, straight from the policy schema so the two never drift. */
export const neverCreateOnOptions: readonly string[] = policyRulesSchema.shape.deals.unwrap().shape.neverCreateOn.unwrap().element.options;

export const policySections: readonly { section: Section; title: string }[] = [
  { section: 'approvals', title: 'Approvals' },
  { section: 'recipients', title: 'Recipients' },
  { section: 'caps', title: 'Sending caps' },
  { section: 'deals', title: 'Deals' },
  { section: 'reporting', title: 'Reporting' },
];

export const policyFields: readonly PolicyField[] = [
  { section: 'approvals', key: 'firstTouch', kind: 'switch', label: "First emails to a new prospect need a manager's approval" },
  { section: 'approvals', key: 'expiryHours', kind: 'number', label: 'Hours before an unanswered approval expires', hint: 'Up to 720 (30 days).' },
  { section: 'recipients', key: 'blockedTlds', kind: 'list', label: 'Top-level domains never emailed', hint: 'Comma-separated, e.g. gov, mil.' },
  {
    section: 'recipients',
    key: 'allowedDomains',
    kind: 'list',
    label: 'Pilot mode: email only these domains',
    hint: 'Comma-separated. Leave empty to allow every domain that is not excluded.',
  },
  { section: 'recipients', key: 'excludedDomains', kind: 'list', label: 'Domains never emailed', hint: 'Comma-separated, e.g. competitor.example.' },
  { section: 'caps', key: 'newRecipientsPerMailboxPerDay', kind: 'number', label: 'New recipients per mailbox per day', hint: 'From 0 to 10,000.' },
  {
    section: 'deals',
    key: 'createThreshold',
    kind: 'number',
    label: 'Create a deal from a positive reply at confidence',
    hint: 'From 0 to 1, e.g. 0.85.',
  },
  {
    section: 'deals',
    key: 'askThreshold',
    kind: 'number',
    label: 'Ask a manager "Create deal?" from confidence',
    hint: 'From 0 to 1; not above the create threshold.',
  },
  { section: 'deals', key: 'neverCreateOn', kind: 'choices', label: 'Never create a deal on replies labelled' },
  { section: 'deals', key: 'dedupeWindowDays', kind: 'number', label: 'Days before another deal for the same contact or company' },
  {
    section: 'deals',
    key: 'defaultAmount',
    kind: 'number',
    label: 'Amount of a deal nobody gave an amount for',
    hint: 'Counts in pipeline and won figures.',
  },
  {
    section: 'reporting',
    key: 'minutesSavedPerEmail',
    kind: 'number',
    label: 'Minutes saved per approved draft',
    hint: 'How long a rep takes to write one email by hand; ROI shows drafts approved times this.',
  },
];

/** The path the API names a field by in problem+json `errors[]`. */
export function fieldPath(field: PolicyField): string {
  return `rules.${field.section}.${field.key}`;
}

/** What the form shows for each field, by its path: text for numbers and lists, so a person can type anything. */
export type PolicyDraft = Record<string, string | boolean | string[]>;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The form's values for a policy document's rules (or for whatever JSON a person typed instead). */
export function draftFromRules(rules: unknown): PolicyDraft {
  const draft: PolicyDraft = {};
  for (const field of policyFields) {
    const value = record(record(rules)[field.section])[field.key];
    const strings = Array.isArray(value) ? value.map(String) : [];
    switch (field.kind) {
      case 'switch':
        draft[fieldPath(field)] = value === true;
        break;
      case 'number':
        draft[fieldPath(field)] = value === undefined || value === null ? '' : String(value);
        break;
      case 'list':
        draft[fieldPath(field)] = strings.join(', ');
        break;
      case 'choices':
        draft[fieldPath(field)] = strings;
        break;
    }
  }
  return draft;
}

/**
 * The rules to send for a draft, on top of `base` so rules the form does not show are kept. A number field
 * that does not hold a number is sent as typed: the API's validation error then appears next to it.
 */
export function rulesFromDraft(draft: PolicyDraft, base: unknown): Record<string, unknown> {
  const rules: Record<string, unknown> = { ...record(base) };
  for (const field of policyFields) {
    const value = draft[fieldPath(field)];
    const section = { ...record(rules[field.section]) };
    switch (field.kind) {
      case 'switch':
        section[field.key] = value === true;
        break;
      case 'number': {
        const text = typeof value === 'string' ? value.trim() : '';
        section[field.key] = text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
        break;
      }
      case 'list':
        section[field.key] = typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : [];
        break;
      case 'choices':
        section[field.key] = Array.isArray(value) ? value : [];
        break;
    }
    rules[field.section] = section;
  }
  return rules;
}

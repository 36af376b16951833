import { describe, expect, it } from 'vitest';
import { defaultPolicyRules, policyRulesSchema } from '@asep/shared/policy/document';
import { draftFromRules, fieldPath, neverCreateOnOptions, policyFields, rulesFromDraft } from './policyFields';

const capPath = 'rules.caps.newRecipientsPerMailboxPerDay';

describe('policy form', () => {
  it('gives back the same rules when nothing is edited', () => {
    expect(rulesFromDraft(draftFromRules(defaultPolicyRules), defaultPolicyRules)).toEqual(defaultPolicyRules);
  });

  it('names each field by the path the API uses in its validation errors', () => {
    const result = policyRulesSchema.safeParse({ caps: { newRecipientsPerMailboxPerDay: -1 } });
    expect(result.success).toBe(false);
    const apiPath = `rules.${result.error!.issues[0]!.path.join('.')}`;
    expect(policyFields.map(fieldPath)).toContain(apiPath);
  });

  it('sends a number field that holds no number as typed, so the API can say what is wrong with it', () => {
    const draft = draftFromRules(defaultPolicyRules);
    const send = (text: string) =>
      (rulesFromDraft({ ...draft, [capPath]: text }, defaultPolicyRules).caps as Record<string, unknown>).newRecipientsPerMailboxPerDay;
    expect(send(' -1 ')).toBe(-1);
    expect(send('forty')).toBe('forty');
    expect(send('')).toBe('');
  });

  it('reads domain lists separated by commas, spaces or new lines', () => {
    const draft = { ...draftFromRules(defaultPolicyRules), 'rules.recipients.excludedDomains': 'rival.example,  competitor.example\nother.example;' };
    expect((rulesFromDraft(draft, defaultPolicyRules).recipients as Record<string, unknown>).excludedDomains).toEqual([
      'rival.example',
      'competitor.example',
      'other.example',
    ]);
  });

  it('keeps rules the form does not show', () => {
    const base = { ...defaultPolicyRules, deals: { ...defaultPolicyRules.deals, futureRule: 'kept' }, sending: { warmup: true } };
    const rules = rulesFromDraft(draftFromRules(base), base);
    expect(rules.sending).toEqual({ warmup: true });
    expect((rules.deals as Record<string, unknown>).futureRule).toBe('kept');
  });

  it('shows whatever JSON a person typed without failing on it', () => {
    const draft = draftFromRules({ caps: { newRecipientsPerMailboxPerDay: 'lots' }, recipients: 'none', deals: null });
    expect(draft[capPath]).toBe('lots');
    expect(draft['rules.recipients.blockedTlds']).toBe('');
    expect(draft['rules.deals.neverCreateOn']).toEqual([]);
  });

  it('offers every reply label the policy accepts for "never create a deal on"', () => {
    expect(neverCreateOnOptions).toEqual(['unsubscribe', 'ooo', 'bounce', 'objection', 'neutral']);
  });
});

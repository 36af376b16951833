import { describe, expect, it } from 'vitest';
import { anApproval, consoleUrl } from './approval-fixture';
import { executeButtons, expectValidCard, press, visibleText } from './card-conformance';
import { buildDealPromptCard } from './deal-prompt-card';
import type { CardElement } from './elements';

const dealApproval = (overrides: Parameters<typeof anApproval>[0] = {}) =>
  anApproval({
    kind: 'deal_create',
    subject: 'Re: Cutting month-end close from 9 days to 3',
    body: 'Full reply text',
    evidence: {
      facts: [{ fact: 'Asked for pricing', source: 'reply' }],
      excerpt: 'This is timely. Could you send pricing for 40 seats?',
      confidence: 0.724,
    },
    decision: { outcome: 'ask', reason: 'Confidence 0.72 is between 0.65 and 0.85: a Manager decides.' },
    ...overrides,
  });

function input(card: ReturnType<typeof buildDealPromptCard>, id: string): CardElement {
  const found = card.body.find((element) => element.id === id);
  if (!found) throw new Error(`no input ${id}`);
  return found;
}

describe('buildDealPromptCard while pending', () => {
  const card = buildDealPromptCard(dealApproval(), { consoleUrl });

  it('is a valid card whose buttons send data the bot accepts', () => {
    expectValidCard(card);
  });

  it('shows the reply excerpt, the confidence as a percentage, the contact, company and why it asks', () => {
    const text = visibleText(card);
    expect(text).toContain('Create deal?');
    expect(text).toContain('This is timely. Could you send pricing for 40 seats?');
    expect(text).toContain('**72%**');
    expect(text).toContain('Contact: Dana Whitfield <dana.whitfield@fabrikam.example>');
    expect(text).toContain('Company: Fabrikam Payments');
    expect(text).toContain('a Manager decides');
  });

  it('suggests the positive-reply stage among the three a Manager may pick, and leaves the amount open', () => {
    expect(input(card, 'stage')).toMatchObject({
      type: 'Input.ChoiceSet',
      value: 'POSITIVE_REPLY',
      choices: [
        { title: 'Positive reply', value: 'POSITIVE_REPLY' },
        { title: 'Meeting booked', value: 'MEETING_BOOKED' },
        { title: 'Qualified', value: 'QUALIFIED' },
      ],
    });
    expect(input(card, 'amount')).toMatchObject({ type: 'Input.Number', min: 0 });
    expect(input(card, 'amount')).not.toHaveProperty('value');
  });

  it('pre-fills a stage and amount suggested earlier', () => {
    const suggested = buildDealPromptCard(dealApproval({ dealInput: { stage: 'MEETING_BOOKED', amount: 9000 } }), { consoleUrl });
    expect(input(suggested, 'stage')).toMatchObject({ value: 'MEETING_BOOKED' });
    expect(input(suggested, 'amount')).toMatchObject({ value: 9000 });
  });

  it('creates with the chosen stage and amount, and skips without needing either', () => {
    const [create, skip] = executeButtons(card).filter((button) => button.verb.startsWith('deal.'));
    expect(press(create!, { stage: 'QUALIFIED', amount: '40000' })).toEqual({
      action: 'deal.create',
      approvalId: 'apr_01J9Z8',
      stage: 'QUALIFIED',
      amount: 40000,
    });
    expect(press(skip!, { stage: '', amount: 'not a number' })).toEqual({ action: 'deal.skip', approvalId: 'apr_01J9Z8' });
  });

  it('keeps a very long reply under the size limit', () => {
    const long = buildDealPromptCard(dealApproval({ evidence: { facts: [], excerpt: 'Yes please. '.repeat(5000), confidence: 0.7 } }), {
      consoleUrl,
    });
    expectValidCard(long);
    expect(visibleText(long)).toContain('Yes please. Yes please.');
    expect(visibleText(long)).toMatch(/…$/m);
  });

  it('falls back to the email body when there is no excerpt, and omits an unknown confidence', () => {
    const bare = buildDealPromptCard(dealApproval({ evidence: { facts: [] }, body: 'Sure, let us talk.' }), { consoleUrl });
    expectValidCard(bare);
    expect(visibleText(bare)).toContain('Sure, let us talk.');
    expect(visibleText(bare)).not.toContain('Confidence that this reply is positive');
  });
});

describe('buildDealPromptCard once decided', () => {
  const decided = { decidedBy: { id: 'aad-7f3', name: 'Maria Gonzales' }, decidedAt: '2025-03-14T10:12:31Z' };

  it('says who created the deal, at which stage and for how much, with no buttons', () => {
    const card = buildDealPromptCard(dealApproval({ status: 'approved', ...decided, dealInput: { stage: 'QUALIFIED', amount: 40000 } }), {
      consoleUrl,
    });
    expectValidCard(card);
    expect(card.actions).toBeUndefined();
    const text = visibleText(card);
    expect(text).toContain('Deal created');
    expect(text).toContain('By: Maria Gonzales');
    expect(text).toContain('Stage: Qualified');
    expect(text).toContain('Amount: 40,000');
  });

  it.each([
    ['rejected', 'Deal skipped'],
    ['expired', 'Expired'],
    ['cancelled', 'Cancelled'],
  ] as const)('when %s, says "%s" with no buttons', (status, headline) => {
    const card = buildDealPromptCard(dealApproval({ status, ...decided }), { consoleUrl });
    expectValidCard(card);
    expect(card.actions).toBeUndefined();
    expect(visibleText(card)).toContain(headline);
  });
});

import { describe, expect, it } from 'vitest';
import { buildApprovalCard } from './approval-card';
import { anApproval, consoleUrl } from './approval-fixture';
import { cardBytes, cardProblems, executeButtons, expectValidCard, inputIds, maxCardBytes, press, visibleText } from './card-conformance';
import type { AdaptiveCard, CardElement } from './elements';

const decided = { decidedBy: { id: 'aad-7f3', name: 'Maria Gonzales' }, decidedAt: '2025-03-14T10:12:31.000Z' };

function buttonTitles(card: AdaptiveCard): string[] {
  return (card.actions ?? []).map((action) => action.title);
}

describe('buildApprovalCard while pending', () => {
  const card = buildApprovalCard(anApproval(), { consoleUrl, refreshUserIds: ['29:1a2b', '29:3c4d'] });

  it('is a valid card whose buttons send data the bot accepts', () => {
    expectValidCard(card);
  });

  it('shows who gets what, the evidence with its source, the policy reasons with their rule, and the expiry', () => {
    const text = visibleText(card);
    expect(text).toContain('Dana Whitfield <dana.whitfield@fabrikam.example>');
    expect(text).toContain('Fabrikam Payments');
    expect(text).toContain('Q3 fintech outreach');
    expect(text).toContain('Cutting month-end close from 9 days to 3');
    expect(text).toContain('Worth 20 minutes next week?');
    expect(text).toContain('Card volume grew 40% in 2024 (source: fabrikam.example/annual-report)');
    expect(text).toContain('First emails to a new prospect need a Manager. (approvals.firstTouch)');
    expect(text).not.toContain('Within the daily cap');
    expect(text).toContain('Expires {{DATE(2025-03-15T09:30:00Z, SHORT)}} {{TIME(2025-03-15T09:30:00Z)}}');
  });

  it('offers Approve, Reject with a required reason, and the console', () => {
    expect(buttonTitles(card)).toEqual(['Approve', 'Reject…', 'Open in console']);
    expect(card.actions?.[2]).toMatchObject({ type: 'Action.OpenUrl', url: consoleUrl });
    const [approve, reject] = executeButtons(card).filter((button) => button.verb.startsWith('approval.'));
    expect(press(approve!)).toEqual({ action: 'approval.approve', approvalId: 'apr_01J9Z8' });
    expect(inputIds(card)).toEqual(['reason']);
    expect(() => press(reject!)).toThrow('reason is required');
    expect(press(reject!, { reason: 'Wrong persona' })).toEqual({ action: 'approval.reject', approvalId: 'apr_01J9Z8', reason: 'Wrong persona' });
  });

  it('refreshes itself for the users the caller names, so everyone sees the decision once it is made', () => {
    expect(card.refresh?.userIds).toEqual(['29:1a2b', '29:3c4d']);
    expect(press(card.refresh!.action)).toEqual({ action: 'refresh', approvalId: 'apr_01J9Z8' });
    expect(buildApprovalCard(anApproval(), { consoleUrl }).refresh).not.toHaveProperty('userIds');
  });

  it('refuses a console link that is not an absolute web address', () => {
    expect(() => buildApprovalCard(anApproval(), { consoleUrl: '/approvals/apr_01J9Z8' })).toThrow('absolute http(s) URL');
  });
});

describe('buildApprovalCard once decided', () => {
  it.each([
    ['approved', { ...decided }, ['Approved', 'Maria Gonzales', 'Approved {{DATE(2025-03-14T10:12:31Z, SHORT)}}']],
    ['rejected', { ...decided, reason: 'Too early in the quarter' }, ['Rejected', 'Maria Gonzales', 'Too early in the quarter']],
    ['expired', {}, ['Expired', 'No one decided before {{DATE(2025-03-15T09:30:00Z, SHORT)}}']],
    ['cancelled', { decidedAt: '2025-03-14T11:00:00Z', reason: 'The prospect replied first' }, ['Cancelled', 'The prospect replied first']],
  ] as const)('when %s, says what happened, by whom and when, with no buttons', (status, fields, expected) => {
    const card = buildApprovalCard(anApproval({ status, ...fields }), { consoleUrl });
    expectValidCard(card);
    expect(card.actions).toBeUndefined();
    expect(card.refresh).toBeUndefined();
    const text = visibleText(card);
    for (const fragment of expected) expect(text).toContain(fragment);
    expect(text).toContain('Dana Whitfield');
    expect(text).not.toContain('Worth 20 minutes');
  });

  it('names the decider by id when the name is unknown', () => {
    const card = buildApprovalCard(anApproval({ status: 'approved', decidedBy: { id: 'aad-7f3' }, decidedAt: decided.decidedAt }), { consoleUrl });
    expect(visibleText(card)).toContain('By: aad-7f3');
  });
});

describe('buildApprovalCard with text from outside', () => {
  it('stays under the Teams size limit with a 50 KB body, showing its start and an ellipsis', () => {
    const body = `Opening line.\n${'All work and no play makes Jack a dull boy. '.repeat(1200)}`;
    expect(body.length).toBeGreaterThan(50_000);
    const card = buildApprovalCard(anApproval({ body }), { consoleUrl });
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain('Opening line.');
    expect(text).toMatch(/…$/m);
  });

  it('stays under the limit when every field is at its longest, in four-byte characters', () => {
    const huge = (n: number) => '🚀'.repeat(n);
    const approval = anApproval({
      prospectName: huge(5000),
      to: `${huge(5000)}@example.com`,
      company: huge(5000),
      campaignName: huge(5000),
      subject: huge(5000),
      body: huge(50_000),
      evidence: { facts: Array.from({ length: 60 }, () => ({ fact: huge(2000), source: huge(2000) })) },
      decision: {
        allow: true,
        approvalRequired: true,
        reasons: Array.from({ length: 60 }, () => ({ rule: huge(500), outcome: 'approval' as const, message: huge(2000) })),
        policyVersion: 1,
      },
    });
    for (const status of ['pending', 'rejected'] as const) {
      const card = buildApprovalCard({ ...approval, status, reason: huge(5000), decidedBy: { id: huge(5000) } }, { consoleUrl });
      expect(cardProblems(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThan(maxCardBytes);
    }
    expect(visibleText(buildApprovalCard(approval, { consoleUrl }))).toContain('+54 more facts in the console');
  });

  it('shows markdown, links and control characters from an email as inert text', () => {
    const body = '**URGENT** [reset your password](https://phish.example)\u0007\u202Egnp.exe\r\n\r\n\r\n\r\nThanks';
    const card = buildApprovalCard(anApproval({ body }), { consoleUrl });
    expectValidCard(card);
    const runs = JSON.stringify(card.body);
    expect(runs).toContain('"type":"TextRun","text":"**URGENT** [reset your password](https://phish.example)gnp.exe\\n\\nThanks"');
    const markdownBlocks = (card.body as CardElement[]).flatMap(function textBlocks(element): string[] {
      const nested = Array.isArray(element.items) ? (element.items as CardElement[]).flatMap(textBlocks) : [];
      return element.type === 'TextBlock' ? [String(element.text), ...nested] : nested;
    });
    expect(markdownBlocks.join('\n')).not.toContain('phish.example');
  });
});

describe('buildApprovalCard for a deal', () => {
  it('asks "Create deal?" instead of approve or reject', () => {
    const card = buildApprovalCard(anApproval({ kind: 'deal_create' }), { consoleUrl });
    expect(buttonTitles(card)).toEqual(['Create deal', 'Skip', 'Open in console']);
  });
});

describe('buildApprovalCard for a researched draft', () => {
  const card = buildApprovalCard(
    anApproval({
      evidence: {
        facts: [
          {
            id: 'f-site',
            fact: 'Fabrikam opened a payments hub in Lisbon in 2026.',
            source: 'website',
            url: 'https://fabrikam.example/',
            retrievedAt: '2026-11-24T08:00:00.000Z',
            hash: 'a1',
          },
        ],
        sentences: [
          { text: 'Hi Dana,', factIds: [] },
          { text: 'I came across this on your website: “Fabrikam opened a payments hub in Lisbon in 2026.”', factIds: ['f-site'] },
          { text: 'Your team grew fast.', factIds: ['f-gone'] },
        ],
        author: { kind: 'offline', fallbackReason: 'no Azure OpenAI deployment is configured for this tenant' },
      },
    }),
    { consoleUrl, refreshUserIds: [] },
  );

  it('shows each cited sentence with its fact, where it was read and when, who drafted it, and a citation with no fact', () => {
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain("Drafted offline by ASEP's rules from the campaign's template: no Azure OpenAI deployment is configured for this tenant.");
    expect(text).toContain('“I came across this on your website: “Fabrikam opened a payments hub in Lisbon in 2026.””');
    expect(text).toContain('Fabrikam opened a payments hub in Lisbon in 2026. (website · https://fabrikam.example/ · retrieved 2026-11-24)');
    expect(text).toContain('cites f-gone, which is not on record');
    expect(text).not.toContain('“Hi Dana,”');
  });
});

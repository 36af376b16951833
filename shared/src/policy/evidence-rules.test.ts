import { describe, expect, it } from 'vitest';
import { offlineDraft } from '../drafting/draft';
import type { ResearchFact } from '../research/fact';
import type { SendEmailAction } from './action';
import { noSendUsage } from './caps';
import type { PolicyContext } from './context';
import { policyRulesSchema } from './document';
import { evaluatePolicy } from './evaluate';

const now = new Date('2026-11-25T10:00:00Z');

function contextWith(evidence: unknown = {}): PolicyContext {
  return {
    policy: { tenantId: 't1', version: 3, rules: policyRulesSchema.parse({ evidence }), updatedBy: 'admin', updatedAt: '2026-01-01T00:00:00.000Z' },
    killSwitch: { campaigns: {} },
    now,
    usage: noSendUsage,
  };
}

const fact = (id: string, text: string, retrievedAt = '2026-11-24T08:00:00.000Z'): ResearchFact => ({
  id,
  fact: text,
  source: 'website',
  url: 'https://litware.example/',
  retrievedAt,
  hash: `hash-${id}`,
});

const template = { subject: 'Ops at Litware', body: 'Hi Marco,\n\nWe cut manual follow-up for sales teams.\n\nOpen to a 20-minute call?' };

function researchedEmail(facts: ResearchFact[], body?: string, attempt = 0): SendEmailAction {
  const draft = offlineDraft(template, facts, { fallbackReason: 'no model', attempt });
  return {
    type: 'send_email',
    campaignId: 'cmp-1',
    mailbox: 'seller@vendor.example',
    to: 'marco@litware.example',
    subject: draft.subject,
    body: body ?? draft.body,
    isFirstTouch: false,
    stepApproval: 'none',
    approved: false,
    recipient: {},
    evidence: facts,
    draft: { sentences: draft.sentences, authoredText: `${template.subject}\n${template.body}` },
  };
}

const evidenceReasons = (action: SendEmailAction, context = contextWith()) =>
  evaluatePolicy(action, context).reasons.filter((reason) => reason.rule.startsWith('evidence.'));

describe('evidence quality of researched drafts', () => {
  it('lets a draft through whose every cited fact is on record and fresh, and whose numbers a fact or the template states', () => {
    const decision = evaluatePolicy(researchedEmail([fact('f-1', 'Litware opened 3 new plants in 2026.')]), contextWith());

    expect(decision.reasons.filter((reason) => reason.rule.startsWith('evidence.'))).toEqual([]);
    expect(decision.approvalRequired).toBe(false);
  });

  it('holds a number that no fact contains, naming the number', () => {
    const action = researchedEmail([fact('f-1', 'Litware opened 3 new plants in 2026.')]);
    const reasons = evidenceReasons({ ...action, body: action.body.replace('We cut manual follow-up', 'We cut manual follow-up by 37%') });

    expect(reasons).toEqual([
      { rule: 'evidence.numbersNeedFacts', outcome: 'approval', message: 'The draft states a number that no fact contains: “37”.' },
    ]);
  });

  it('holds a fact older than the freshness window, naming it, its source and when it was read', () => {
    const reasons = evidenceReasons(
      researchedEmail([fact('f-old', 'Litware is moving its HQ to Turin.', '2026-05-01T00:00:00.000Z')]),
      contextWith({ maxFactAgeDays: 30 }),
    );

    expect(reasons).toEqual([
      {
        rule: 'evidence.maxFactAgeDays',
        outcome: 'approval',
        message:
          'The draft cites facts older than the 30-day freshness window: “Litware is moving its HQ to Turin.” (website, retrieved 2026-05-01).',
      },
    ]);
  });

  it('holds a sentence citing a fact that is not on record, and a claim that cites nothing', () => {
    const action = researchedEmail([fact('f-1', 'Litware is hiring planners.')]);
    const sentences = [
      ...action.draft!.sentences,
      { text: 'Teams like yours see the fastest ramp of any vendor.', factIds: [] },
      { text: 'You doubled output.', factIds: ['f-gone'] },
    ];
    const reasons = evidenceReasons({ ...action, draft: { ...action.draft!, sentences } });

    expect(reasons.map((reason) => reason.message)).toEqual([
      'The draft cites facts that are not on record: f-gone.',
      'No stored fact supports “Teams like yours see the fastest ramp of any vendor.”.',
    ]);
  });

  it('is switched off rule by rule, and never asks again about an email a Manager approved', () => {
    const action = researchedEmail([fact('f-1', 'Litware is hiring planners.')], 'Hi Marco, 37% of your peers switched.');

    expect(evidenceReasons(action, contextWith({ numbersNeedFacts: false }))).toEqual([]);
    expect(evidenceReasons({ ...action, approved: true })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { anApproval, consoleUrl } from './approval-fixture';
import { expectValidCard, visibleText } from './card-conformance';
import { buildDigestCard, buildWeeklyDigestCard, type DigestSummary } from './digest-card';

const summary: DigestSummary = {
  day: '2025-03-14',
  pendingApprovals: {
    count: 9,
    top: [
      anApproval(),
      anApproval({ id: 'apr_2', kind: 'deal_create', prospectName: 'Lee Chen', to: 'lee@contoso.example', company: 'Contoso' }),
      ...Array.from({ length: 5 }, (_, i) => anApproval({ id: `apr_x${i}`, prospectName: `Prospect ${i}`, to: undefined, company: undefined })),
    ],
  },
  repliesByClass: { positive: 4, objection: 2, ooo: 3 },
  meetingsBooked: 2,
  dealsCreated: 1,
  consoleUrl,
};

describe('buildDigestCard', () => {
  const card = buildDigestCard(summary);

  it('is a valid card linking to the console', () => {
    expectValidCard(card);
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the console', url: consoleUrl }]);
  });

  it('counts the pending approvals and names the five most urgent', () => {
    const text = visibleText(card);
    expect(text).toContain('**9** approvals are pending.');
    expect(text).toContain('• First email to a new prospect: Dana Whitfield <dana.whitfield@fabrikam.example> (Fabrikam Payments)');
    expect(text).toContain('• Deal to create: Lee Chen <lee@contoso.example> (Contoso)');
    expect(text).toContain('Prospect 2');
    expect(text).not.toContain('Prospect 3');
    expect(text).toContain('and 4 more in the console.');
  });

  it('breaks replies down by class, counting the classes that had none', () => {
    const text = visibleText(card);
    expect(text).toContain('Replies (9)');
    expect(text).toContain('Positive: 4');
    expect(text).toContain('Objection: 2');
    expect(text).toContain('Out of office: 3');
    expect(text).toContain('Unsubscribe: 0');
    expect(text).toContain('Meetings booked: 2');
    expect(text).toContain('Deals created: 1');
  });

  it('says when nothing is pending', () => {
    const quiet = buildDigestCard({ ...summary, pendingApprovals: { count: 0, top: [] } });
    expectValidCard(quiet);
    expect(visibleText(quiet)).toContain('No approvals are pending.');
  });
});

describe('buildWeeklyDigestCard', () => {
  const figures = {
    sent: 40,
    delivered: 39,
    humanReplies: 8,
    positive: 2,
    positiveRate: 0.25,
    meetings: 1,
    deals: 2,
    pipelineAmount: 24000,
    wonAmount: 0,
    medianReplyHours: 5.5,
    draftsApproved: 12,
    timeSavedMinutes: 60,
  };

  it("shows the week's managers' numbers, in all and per rep", () => {
    const card = buildWeeklyDigestCard(
      {
        period: { from: '2025-03-24T00:00:00.000Z', to: '2025-03-31T00:00:00.000Z' },
        totals: figures,
        byRep: [{ key: 'ann@contoso.example', label: 'Ann Archer', ...figures }],
        byCampaign: [],
        byStep: [],
      },
      'https://console.asep.example/#/roi',
    );
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain('Weekly digest: 2025-03-24 to 2025-03-31');
    expect(JSON.stringify(card.body)).toContain('{"title":"Human replies","value":"8"}');
    expect(JSON.stringify(card.body)).toContain('{"title":"Positive rate","value":"25%"}');
    expect(JSON.stringify(card.body)).toContain('{"title":"Time saved","value":"60 min"}');
    expect(text).toContain('• Ann Archer: 40 sent, 8 human replies, 1 meetings, 2 deals');
  });
});

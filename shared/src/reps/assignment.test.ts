import { describe, expect, it } from 'vitest';
import { assignMailboxes, assignmentRuleSchema } from './assignment';

const mailboxes = ['ana@contoso.example', 'ben@contoso.example', 'cho@contoso.example'];
const prospects = (count: number, extra: (index: number) => object = () => ({})) =>
  Array.from({ length: count }, (_, index) => ({ id: `p${index}`, ...extra(index) }));

describe('assigning prospects to reps’ mailboxes', () => {
  it('round-robin spreads prospects evenly, the same way every time', () => {
    const rule = assignmentRuleSchema.parse({});
    const first = assignMailboxes({ mailboxes, rule, prospects: prospects(7) });
    const counts = mailboxes.map((mailbox) => Object.values(first.assignments).filter((a) => a.mailbox === mailbox).length);
    expect(counts).toEqual([3, 2, 2]);
    expect(assignMailboxes({ mailboxes, rule, prospects: prospects(7) })).toEqual(first);
    expect(first.assignments.p0).toEqual({ mailbox: mailboxes[0], reason: 'round-robin' });
  });

  it('follows the prospect owner when the owner sends in the campaign, and round-robins the rest', () => {
    const rule = assignmentRuleSchema.parse({ rule: 'prospect_owner' });
    const { assignments } = assignMailboxes({
      mailboxes,
      rule,
      prospects: [{ id: 'owned', owner: 'CHO@contoso.example' }, { id: 'stranger', owner: 'someone@else.example' }, { id: 'none' }],
    });
    expect(assignments.owned).toEqual({ mailbox: 'cho@contoso.example', reason: 'prospect owner' });
    expect(assignments.stranger?.reason).toBe('round-robin');
    expect(assignments.none?.reason).toBe('round-robin');
  });

  it('counts the prospects mailboxes have already against each mailbox’s cap', () => {
    const rule = assignmentRuleSchema.parse({ rule: 'account_owner', capPerMailbox: 2, caps: { 'cho@contoso.example': 0 } });
    const outcome = assignMailboxes({
      mailboxes,
      rule,
      load: { 'ana@contoso.example': 1 },
      prospects: prospects(4, () => ({ accountOwner: 'ana@contoso.example' })),
    });
    expect(outcome.load).toEqual({ 'ana@contoso.example': 2, 'ben@contoso.example': 2, 'cho@contoso.example': 0 });
    expect(outcome.assignments.p0).toEqual({ mailbox: 'ana@contoso.example', reason: 'account owner' });
    expect([outcome.assignments.p1?.mailbox, outcome.assignments.p2?.mailbox]).toEqual(['ben@contoso.example', 'ben@contoso.example']);
    expect(outcome.unassigned).toEqual(['p3']);
  });
});

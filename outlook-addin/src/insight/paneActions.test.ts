import { describe, expect, it } from 'vitest';
import { bookedMeeting, positiveReplyInsight } from '../testing/insightFixtures';
import { actionsForInsight, actionsForUnknownSender } from './paneActions';

describe('pane actions', () => {
  it('gives a rep the follow-up buttons but not the Manager’s approval', () => {
    expect(actionsForInsight(['Operator'], positiveReplyInsight())).toEqual(['correctLabel', 'suppressContact', 'logToCrm', 'bookMeeting']);
  });

  it('lets a Manager approve the pending "Create deal?"', () => {
    expect(actionsForInsight(['Manager'], positiveReplyInsight())).toContain('approveDealCreation');
  });

  it('offers no meeting after an unsubscribe or a bounce', () => {
    const unsubscribe = positiveReplyInsight({ classification: { label: 'unsubscribe', confidence: 0.99 } });
    expect(actionsForInsight(['Operator'], unsubscribe)).not.toContain('bookMeeting');
  });

  it('offers to move or cancel a booked meeting instead of booking another, even after an unsubscribe', () => {
    const booked = positiveReplyInsight({ booking: bookedMeeting });
    expect(actionsForInsight(['Operator'], booked)).toContain('changeMeeting');
    expect(actionsForInsight(['Operator'], booked)).not.toContain('bookMeeting');
    expect(actionsForInsight(['Operator'], { ...booked, classification: { label: 'unsubscribe', confidence: 0.99 } })).toContain('changeMeeting');
    expect(actionsForInsight(['Auditor'], booked)).not.toContain('changeMeeting');
  });

  it('offers to add the sender as a prospect when the reply has no known prospect', () => {
    const unknownSender = positiveReplyInsight({ prospect: null, sequence: null });
    expect(actionsForInsight(['Operator'], unknownSender)).toEqual(['correctLabel', 'addProspect']);
    expect(actionsForUnknownSender(['Operator'], true)).toEqual(['addProspect']);
    expect(actionsForUnknownSender(['Operator'], false)).toEqual([]);
  });

  it('shows an Auditor, who may not act, no buttons at all', () => {
    expect(actionsForInsight(['Auditor'], positiveReplyInsight())).toEqual([]);
    expect(actionsForUnknownSender(['Auditor'], true)).toEqual([]);
  });
});

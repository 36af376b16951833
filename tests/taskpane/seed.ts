import type { MessageInsight } from '@asep/shared/insights/insight';
import { findFreeSlots } from '@asep/shared/scheduling/slots';
import { positiveReplyInsight } from '../../outlook-addin/src/testing/insightFixtures';
import type { StoredMessage, StubSeed } from './stubApi';

export const anaReplyId = '<reply-ana@contoso.example>';
export const boReplyId = '<reply-bo@fabrikam.example>';
export const strangerId = '<hello@unknown.example>';

const message = (internetMessageId: string, from: string, subject: string, body: string): StoredMessage => ({
  internetMessageId,
  from,
  to: 'rep@demo.asep.local',
  subject,
  body,
  conversationId: `conversation-${internetMessageId}`,
  receivedAt: '2030-06-02T09:12:00Z',
});

const anaInsight: MessageInsight = positiveReplyInsight({ internetMessageId: anaReplyId });

const boInsight: MessageInsight = positiveReplyInsight({
  internetMessageId: boReplyId,
  classification: { label: 'objection', confidence: 0.91 },
  evidence: { excerpt: 'We already have a vendor for this.', facts: ['Names an incumbent'], trace: [{ step: 'model', detail: 'objection 0.93' }] },
  prospect: { id: 'p-bo', email: 'bo@fabrikam.example', name: 'Bo Chen', company: 'Fabrikam', title: 'CTO' },
  pendingDealApprovalId: undefined,
  nextAction: { kind: 'handle_objection', label: 'Answer the objection' },
});

/** A rep in Berlin, a prospect in New York, a busy hour on Monday afternoon. */
export const availability = {
  timeZone: 'Europe/Berlin',
  prospectTimeZone: 'America/New_York',
  slots: findFreeSlots({
    from: new Date('2030-06-03T06:00:00Z'),
    days: 2,
    workingHours: { timeZone: 'Europe/Berlin', start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
    busy: [{ start: '2030-06-03T13:00:00Z', end: '2030-06-03T14:00:00Z' }],
    durationMinutes: 30,
    bufferMinutes: 0,
    prospectTimeZone: 'America/New_York',
  }),
};

export function seed(overrides: Partial<StubSeed> = {}): StubSeed {
  return {
    messages: [
      message(anaReplyId, 'Ana Silva <ana@contoso.example>', 'Re: Quick question', 'Happy to talk next week, Tuesday afternoon works for me.'),
      message(boReplyId, 'Bo Chen <bo@fabrikam.example>', 'Re: Fabrikam and ASEP', 'We already have a vendor for this.'),
      message(strangerId, 'Cleo Park <cleo@unknown.example>', 'Hello there', 'Who are you?'),
    ],
    insights: { [anaReplyId]: anaInsight, [boReplyId]: boInsight },
    availability,
    ...overrides,
  };
}

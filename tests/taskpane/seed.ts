import { draftInsightSchema, nextActionAfterBooking, nextActionForDraft, type DraftInsight, type MessageInsight } from '@asep/shared/insights/insight';
import { findFreeSlots } from '@asep/shared/scheduling/slots';
import { bookedMeeting, positiveReplyInsight } from '../../outlook-addin/src/testing/insightFixtures';
import type { StoredMessage, StubSeed } from './stubApi';

export const anaReplyId = '<reply-ana@contoso.example>';
export const boReplyId = '<reply-bo@fabrikam.example>';
export const strangerId = '<hello@unknown.example>';
export const offlineDraftId = '<draft-marco@outbound.asep.local>';
export const modelDraftId = '<draft-lena@outbound.asep.local>';

const message = (internetMessageId: string, from: string, subject: string, body: string): StoredMessage => ({
  internetMessageId,
  from,
  to: 'rep@demo.asep.local',
  subject,
  body,
  conversationId: `conversation-${internetMessageId}`,
  receivedAt: '2030-06-02T09:12:00Z',
});

export const anaInsight: MessageInsight = positiveReplyInsight({ internetMessageId: anaReplyId });

const boInsight: MessageInsight = positiveReplyInsight({
  internetMessageId: boReplyId,
  classification: { label: 'objection', confidence: 0.91 },
  evidence: { excerpt: 'We already have a vendor for this.', facts: ['Names an incumbent'], trace: [{ step: 'model', detail: 'objection 0.93' }] },
  prospect: { id: 'p-bo', email: 'bo@fabrikam.example', name: 'Bo Chen', company: 'Fabrikam', title: 'CTO' },
  pendingDealApprovalId: undefined,
  nextAction: { kind: 'handle_objection', label: 'Answer the objection' },
});

/** Marco's first touch, saved in the rep's Drafts folder by the offline drafter: the model budget was spent. */
const offlineDraft: DraftInsight = draftInsightSchema.parse({
  kind: 'draft',
  internetMessageId: offlineDraftId,
  status: 'drafted',
  subject: 'Governed outreach at Litware',
  to: 'marco@litware.example',
  author: { kind: 'offline', fallbackReason: "the tenant's daily model budget is spent (50000 of 50000 tokens)" },
  sentences: [
    { text: 'Hi Marco,', factIds: [] },
    { text: 'I came across this on your website: Litware opened a second plant in Porto this spring.', factIds: ['f-site'] },
    { text: 'Your team last spoke with us about audit trails in March.', factIds: ['f-crm'] },
  ],
  facts: [
    {
      id: 'f-site',
      fact: 'Litware opened a second plant in Porto this spring.',
      source: 'website',
      url: 'https://litware.example/news/porto',
      retrievedAt: '2030-06-01T08:00:00Z',
      hash: 'a1',
    },
    { id: 'f-crm', fact: 'Call note: asked about audit trails', source: 'crm', recordId: 'note-7', retrievedAt: '2030-06-01T08:00:05Z', hash: 'b2' },
  ],
  prospect: { id: 'p-marco', email: 'marco@litware.example', name: 'Marco Rossi', company: 'Litware', title: 'COO' },
  sequence: { campaignId: 'c-q3', campaignName: 'Q3 operations leaders', instanceId: 'seq-marco', status: 'running', step: 0, totalSteps: 3 },
  nextAction: nextActionForDraft('drafted'),
});

const modelDraft: DraftInsight = draftInsightSchema.parse({
  ...offlineDraft,
  internetMessageId: modelDraftId,
  to: 'lena@adatum.example',
  author: { kind: 'model', deployment: 'gpt-4o-mini' },
  prospect: { id: 'p-lena', email: 'lena@adatum.example', name: 'Lena Berg', company: 'Adatum' },
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
      message(offlineDraftId, 'Oscar Operator <rep@demo.asep.local>', 'Governed outreach at Litware', 'Hi Marco, …'),
      message(modelDraftId, 'Oscar Operator <rep@demo.asep.local>', 'Governed outreach at Adatum', 'Hi Lena, …'),
    ],
    insights: { [anaReplyId]: anaInsight, [boReplyId]: boInsight, [offlineDraftId]: offlineDraft, [modelDraftId]: modelDraft },
    availability,
    ...overrides,
  };
}

/** The seed, with Ana's call booked (on a Chicago rep's calendar) and the next action that follows a booking. */
export function seedWithAnaBooked(overrides: Partial<StubSeed> = {}): StubSeed {
  const booked = seed(overrides);
  booked.insights[anaReplyId] = { ...anaInsight, booking: { ...bookedMeeting }, nextAction: nextActionAfterBooking(bookedMeeting) };
  return booked;
}

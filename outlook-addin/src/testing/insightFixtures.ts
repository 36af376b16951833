import { bookingSchema, messageInsightSchema, type Booking, type MessageInsight } from '@asep/shared/insights/insight';
import type { SelectedMessage } from '../office/mailbox';

/** A positive reply from a prospect mid-sequence, with a pending "Create deal?" approval. */
export function positiveReplyInsight(overrides: Partial<MessageInsight> = {}): MessageInsight {
  return messageInsightSchema.parse({
    internetMessageId: '<reply-ana@contoso.example>',
    classification: { label: 'positive', confidence: 0.78 },
    evidence: {
      excerpt: 'Happy to talk next week, Tuesday afternoon works for me.',
      facts: ['Asks for a meeting', 'Proposes a day'],
      trace: [
        { step: 'rules', detail: 'No unsubscribe or out-of-office wording found' },
        { step: 'model', detail: 'positive 0.81, neutral 0.12' },
        { step: 'calibration', detail: 'Isotonic calibration: 0.81 → 0.78' },
      ],
    },
    prospect: {
      id: 'p-ana',
      email: 'ana@contoso.example',
      name: 'Ana Silva',
      company: 'Contoso',
      title: 'Head of Operations',
      timeZone: 'America/New_York',
    },
    sequence: {
      campaignId: 'c-q3',
      campaignName: 'Q3 operations leaders',
      instanceId: 'seq-ana',
      status: 'paused',
      step: 2,
      totalSteps: 4,
      pausedUntil: '2025-06-10T07:00:00Z',
    },
    pendingDealApprovalId: 'appr-ana',
    nextAction: { kind: 'book_meeting', label: 'Propose times for a call', detail: 'She suggested Tuesday afternoon.' },
    ...overrides,
  });
}

export function selectedMessage(internetMessageId = '<reply-ana@contoso.example>'): SelectedMessage {
  return { internetMessageId, from: { name: 'Ana Silva', email: 'ana@contoso.example' }, subject: 'Re: Quick question', conversationId: 'conv-ana' };
}

/** Ana's call, booked on a Chicago rep's calendar. */
export const bookedMeeting: Booking = bookingSchema.parse({
  bookingId: 'booking-ana',
  prospectId: 'p-ana',
  status: 'booked',
  meetingId: 'meeting-ana',
  joinUrl: 'https://teams.microsoft.com/l/meetup-join/meeting-ana',
  start: '2030-06-04T13:00:00.000Z',
  end: '2030-06-04T13:30:00.000Z',
  rep: { name: 'Riya Rep', mailbox: 'riya@demo.asep.local', timeZone: 'America/Chicago' },
  prospectTimeZone: 'Europe/Berlin',
  bookedAt: '2030-06-02T09:30:00.000Z',
});

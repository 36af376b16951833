import type { Booking } from '@asep/shared/insights/insight';
import type { StoredFields } from '../store/documents';

/**
 * One meeting with a prospect. Its id names the prospect and the prospect's booking generation, so at most one
 * booking per prospect can be made in a generation: that is what keeps a prospect to one active meeting.
 */
export interface BookingRecord extends StoredFields, Omit<Booking, 'status' | 'meetingId'> {
  docType: 'booking';
  /** `booking` while the slot is claimed and the meeting is being made. */
  status: Booking['status'] | 'booking';
  /**
   * Who is making the meeting while the status is `booking`, and until when: a request that crashed leaves a claim
   * that another request may finish once the lease has run out.
   */
  lease?: { holder: string; until: string };
  meetingId?: string;
  generation: number;
  bookedBy: { id: string; name?: string };
}

/** Counts a prospect's cancelled bookings: the next booking takes the next generation. */
export interface BookingGenerationRecord extends StoredFields {
  docType: 'bookingGeneration';
  prospectId: string;
  generation: number;
}

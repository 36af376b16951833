import { describe, expect, it } from 'vitest';
import { resumeAfterAbsence } from './out-of-office';

// Wednesday 5 March 2025, 15:00 UTC.
const now = new Date('2025-03-05T15:00:00Z');

describe('resuming after an out-of-office reply', () => {
  it('resumes at 09:00 the prospect’s time on the business day after the return date', () => {
    // Back Thursday 13 March: the sequence writes again on Friday morning in Berlin.
    expect(resumeAfterAbsence('2025-03-13', 'Europe/Berlin', now, 5).toISOString()).toBe('2025-03-14T08:00:00.000Z');
  });

  it('skips the weekend: back on a Friday means resuming on Monday', () => {
    expect(resumeAfterAbsence('2025-03-14', 'America/New_York', now, 5).toISOString()).toBe('2025-03-17T13:00:00.000Z');
  });

  it('keeps 09:00 local across a daylight-saving change', () => {
    // New York moves its clocks on Sunday 9 March 2025: 09:00 is 14:00 UTC before and 13:00 UTC after.
    expect(resumeAfterAbsence('2025-03-07', 'America/New_York', now, 5).toISOString()).toBe('2025-03-10T13:00:00.000Z');
  });

  it('pauses for the policy’s default business days when the reply names no return date', () => {
    // Five business days after Wednesday 5 March is Wednesday 12 March.
    expect(resumeAfterAbsence(undefined, 'UTC', now, 5).toISOString()).toBe('2025-03-12T09:00:00.000Z');
    expect(resumeAfterAbsence(undefined, 'UTC', now, 2).toISOString()).toBe('2025-03-07T09:00:00.000Z');
  });
});

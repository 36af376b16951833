import { describe, expect, it } from 'vitest';
import { detectUnsubscribeRequest } from './detect-unsubscribe';

describe('detectUnsubscribeRequest', () => {
  it('recognises requests to stop mailing in four languages', () => {
    for (const text of [
      'Please take me off your list.',
      "I'd appreciate it if you stopped writing to me.",
      'Do not email me again.',
      'Bitte nehmen Sie mich aus Ihrem Verteiler.',
      'Ne me contactez plus.',
      'No me contacten más.',
    ]) {
      expect(detectUnsubscribeRequest('Re: Idea', text), text).toBeDefined();
    }
  });

  it('recognises a subject or a reply that is nothing but an opt-out', () => {
    expect(detectUnsubscribeRequest('Unsubscribe', '')).toBeDefined();
    expect(detectUnsubscribeRequest('Re: Idea', 'STOP')).toBeDefined();
    expect(detectUnsubscribeRequest('Re: Idea', 'Baja, por favor.')).toBeDefined();
  });

  it('ignores a request not to be removed', () => {
    expect(detectUnsubscribeRequest('Re: Idea', "Please don't unsubscribe me, but send it to Ana instead.")).toBeUndefined();
    expect(detectUnsubscribeRequest('Re: Idea', 'Stop by our booth at the fair!')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { phraseEvidenceFacts } from './evidence-phrasing';

const reply = 'Thanks Max. We have 0 budget this quarter, but a demo next week could work for our team.';

describe('evidence phrased from the reply’s own words', () => {
  it('quotes the words around a feature instead of naming the feature', () => {
    expect(phraseEvidenceFacts(['phrase "next week" points to positive (+0.52)'], reply)).toEqual([
      '“…budget this quarter, but a demo next week could work for our team.” reads as interest',
    ]);
  });

  it('leaves out lone numbers, short tokens and words the reply does not contain', () => {
    const facts = ['word "0" points to positive (+0.31)', 'word "we" points to positive (+0.2)', 'word "pricing" points to positive (+0.2)'];
    expect(phraseEvidenceFacts(facts, reply)).toEqual([]);
  });

  it('keeps the facts rules state, as they are', () => {
    expect(phraseEvidenceFacts(['Asks to be removed from the list'], reply)).toEqual(['Asks to be removed from the list']);
  });
});

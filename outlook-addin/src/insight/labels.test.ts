import { describe, expect, it } from 'vitest';
import { readConfidence, senderLine } from './labels';

describe('readConfidence', () => {
  it('explains a calibrated score as a frequency the rep can weigh', () => {
    expect(readConfidence('positive', 0.92)).toEqual({
      percent: '92%',
      level: 'High',
      meaning: 'About 92 in 100 replies scored like this one really are positive. Safe to act on.',
    });
  });

  it('grades the score by the deal policy thresholds', () => {
    expect(readConfidence('positive', 0.85).level).toBe('High');
    expect(readConfidence('positive', 0.78).level).toBe('Moderate');
    expect(readConfidence('ooo', 0.4)).toMatchObject({
      level: 'Low',
      meaning: expect.stringContaining('really are out of office. Read the reply yourself'),
    });
  });
});

describe('the sender line', () => {
  it('names the sender once when Outlook repeats the address as the display name', () => {
    expect(senderLine({ name: 'jane@x.example', email: 'jane@x.example' })).toBe('From jane@x.example');
    expect(senderLine({ name: "'JANE@X.EXAMPLE' <jane@x.example>", email: 'jane@x.example' })).toBe('From jane@x.example');
    expect(senderLine({ name: 'Jane Doe', email: 'jane@x.example' })).toBe('From Jane Doe <jane@x.example>');
    expect(senderLine({ name: '', email: 'jane@x.example' })).toBe('From jane@x.example');
  });
});

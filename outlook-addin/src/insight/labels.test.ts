import { describe, expect, it } from 'vitest';
import { readConfidence } from './labels';

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

import { describe, expect, it } from 'vitest';
import { barLength, describeChart } from './barChart';

describe('bar chart', () => {
  it('scales bars to the largest value and never draws past the end or backwards', () => {
    expect(barLength(50, 200, 400)).toBe(100);
    expect(barLength(200, 200, 400)).toBe(400);
    expect(barLength(-3, 200, 400)).toBe(0);
    expect(barLength(5, 0, 400)).toBe(0);
  });

  it('describes every value for screen readers', () => {
    expect(describeChart('Replies and deals', ['replies', 'deals'], [{ label: 'high', values: [9, 4] }], String)).toBe(
      'Replies and deals. high: 9 replies, 4 deals.',
    );
  });
});

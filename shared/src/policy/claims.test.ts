import { describe, expect, it } from 'vitest';
import { findClaims, prohibitedClaimsIn, unsupportedClaims } from './claims';

describe('claims an email makes', () => {
  it('finds percentages, multiples, money, large quantities and superlatives', () => {
    expect(findClaims('We cut churn by 40% for 1,200 customers: 3x faster, $2.5M saved, 25 percent cheaper. The best and #1 tool.')).toEqual([
      '40%',
      '1,200',
      '3x',
      '$2.5m',
      '25 percent',
      'best',
      '#1',
    ]);
  });

  it('leaves times, dates, years, phone numbers, small numbers and sign-offs alone', () => {
    const prose =
      'Three ideas, 2 minutes each. Free at 10:30 or 3pm on 12/05/2025? A 15-minute call. Since 2015.\nBest regards,\nAlex\n+1 (555) 010-2030';
    expect(findClaims(prose)).toEqual([]);
    expect(findClaims('All the best')).toEqual([]);
  });

  it('accepts a claim that a supplied fact states, in either spelling of a figure', () => {
    expect(unsupportedClaims('Customers saw 40 % more replies, the fastest setup.', ['Contoso: 40% more replies (2024 case study)'])).toEqual([
      'fastest',
    ]);
    expect(unsupportedClaims('Hello from Bench 15.', ['Works at Bench 15 (bench15.example)'])).toEqual([]);
    expect(unsupportedClaims('Teams saved $200.', ['Contoso saved $200 a seat'])).toEqual([]);
  });

  it('matches prohibited phrases as whole words, in any case, with spaces and hyphens alike', () => {
    const list = ['guaranteed', 'risk-free', '100% ROI'];
    expect(prohibitedClaimsIn('Totally RISK FREE and Guaranteed, with 100% roi.', list)).toEqual(list);
    expect(prohibitedClaimsIn('No guarantee, but low risk.', list)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { campaignStatus, canaryDecisions } from './campaignStatus';

const canaryRun = (status: 'running' | 'promoted' | 'halted') => ({ cohortSize: 2, status, startedAt: '2026-01-05T10:00:00.000Z' });

describe('campaignStatus', () => {
  it('shows a campaign in its canary with the canary size, and offers Promote and Halt', () => {
    const campaign = { status: 'running' as const, canaryRun: canaryRun('running') };
    expect(campaignStatus(campaign)).toEqual({ text: 'Canary (2)', color: 'warning' });
    expect(canaryDecisions(campaign)).toEqual({ promote: true, halt: true });
  });

  it('shows a promoted canary as a campaign running for everyone, with nothing left to decide', () => {
    const campaign = { status: 'running' as const, canaryRun: canaryRun('promoted') };
    expect(campaignStatus(campaign)).toEqual({ text: 'Running', color: 'success' });
    expect(canaryDecisions(campaign)).toEqual({ promote: false, halt: false });
  });

  it('shows a halted canary as halted, which may still be promoted but not halted again', () => {
    const campaign = { status: 'running' as const, canaryRun: canaryRun('halted') };
    expect(campaignStatus(campaign)).toEqual({ text: 'Halted', color: 'danger' });
    expect(canaryDecisions(campaign)).toEqual({ promote: true, halt: false });
  });

  it('offers no canary decision once the campaign is stopped, whatever its canary did', () => {
    const campaign = { status: 'stopped' as const, canaryRun: canaryRun('running') };
    expect(campaignStatus(campaign)).toEqual({ text: 'Stopped', color: 'danger' });
    expect(canaryDecisions(campaign)).toEqual({ promote: false, halt: false });
  });

  it('shows a campaign started without a canary as running', () => {
    expect(campaignStatus({ status: 'running' })).toEqual({ text: 'Running', color: 'success' });
    expect(canaryDecisions({ status: 'running' })).toEqual({ promote: false, halt: false });
  });
});

import { describe, expect, it } from 'vitest';
import { isHalted, resumptionText, type KillSwitchState, type KillSwitchSwitch } from './killswitch';

const changed = { reason: 'wrong list', changedBy: 'Mia Manager', changedAt: '2026-06-01T09:00:00Z' };
const campaignSwitch = (setting: Partial<KillSwitchSwitch>): KillSwitchState => ({
  campaigns: { 'cmp-1': { ...changed, active: false, ...setting } },
});

describe('a kill switch holds sends', () => {
  it('while it is on, for its own campaign only', () => {
    const state = campaignSwitch({ active: true });
    expect(isHalted(state, 'cmp-1')).toBe(true);
    expect(isHalted(state, 'cmp-2')).toBe(false);
  });

  it('turned off with "end all", until every sequence in its scope has ended', () => {
    const ending = campaignSwitch({ release: 'end', resumption: { releaseId: 'release-1', done: false } });
    expect(isHalted(ending, 'cmp-1')).toBe(true);
    expect(isHalted(campaignSwitch({ release: 'end', resumption: { releaseId: 'release-1', done: true, sequencesEnded: 3 } }), 'cmp-1')).toBe(false);
  });

  it('turned off with "resume", at once: the held sequences go on while the rest are woken', () => {
    expect(isHalted(campaignSwitch({ release: 'resume', resumption: { releaseId: 'release-1', done: false } }), 'cmp-1')).toBe(false);
  });

  it('the tenant switch holds every campaign', () => {
    expect(isHalted({ tenant: { ...changed, active: true }, campaigns: {} }, 'cmp-9')).toBe(true);
  });
});

describe('what a switch turned off did, in words', () => {
  it('says it is ending the sequences, then how many ended', () => {
    expect(resumptionText({ done: false }, 'end')).toBe('Ending every sequence in its scope; nothing is sent meanwhile…');
    expect(resumptionText({ done: true, sequencesEnded: 1 }, 'end')).toBe('1 sequence ended.');
    expect(resumptionText({ done: true, sequencesResumed: 20 })).toBe('20 held sequences resumed.');
  });
});

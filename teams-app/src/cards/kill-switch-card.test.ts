import { type KillSwitchState, killSwitchChangeSchema } from '@asep/shared/killswitch/killswitch';
import { describe, expect, it } from 'vitest';
import { killSwitchChangeOf } from './actions';
import { cardBytes, executeButtons, expectValidCard, inputIds, maxCardBytes, press, visibleText } from './card-conformance';
import { buildKillSwitchCard, buildKillSwitchConfirmCard, type KillSwitchCampaign } from './kill-switch-card';

const campaigns: KillSwitchCampaign[] = [
  { id: 'cmp_fintech', name: 'Q3 fintech outreach', status: 'running' },
  { id: 'cmp_retail', name: 'Retail re-engagement', status: 'running' },
  { id: 'cmp_old', name: 'Spring webinar', status: 'stopped' },
  { id: 'cmp_draft', name: 'Draft idea', status: 'draft' },
];
const allOff: KillSwitchState = { campaigns: {} };
const reason = { reason: 'Bounce rate spiked after the DNS change' };

function buttonFor(card: ReturnType<typeof buildKillSwitchCard>, title: string) {
  const button = executeButtons(card).find((candidate) => candidate.title === title);
  if (!button)
    throw new Error(
      `no "${title}" button; buttons: ${executeButtons(card)
        .map((b) => b.title)
        .join(', ')}`,
    );
  return button;
}

describe('buildKillSwitchCard', () => {
  it('shows all sending and each running campaign as sending, with a button to stop each', () => {
    const card = buildKillSwitchCard(allOff, { campaigns });
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain('All sending: sending (switch off)');
    expect(text).toContain('Campaign: Q3 fintech outreach (running): sending (switch off)');
    expect(text).toContain('Campaign: Retail re-engagement (running)');
    expect(text).not.toContain('Spring webinar');
    expect(text).not.toContain('Draft idea');
    expect(press(buttonFor(card, 'Stop all sending'), reason)).toEqual({ action: 'killswitch.request', scope: 'tenant', active: true, ...reason });
    expect(press(buttonFor(card, 'Stop campaign'), reason)).toEqual({
      action: 'killswitch.request',
      scope: 'campaign',
      campaignId: 'cmp_fintech',
      active: true,
      ...reason,
    });
  });

  it('shows who turned a switch on, when and why, and offers to resume', () => {
    const state: KillSwitchState = {
      tenant: { active: true, reason: 'Spam complaint from a customer', changedBy: 'Ann Admin', changedAt: '2025-03-14T08:00:00Z' },
      campaigns: { cmp_old: { active: true, reason: 'Wrong list', changedBy: 'Rob RevOps', changedAt: '2025-03-13T16:45:10Z' } },
    };
    const card = buildKillSwitchCard(state, { campaigns });
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain('All sending: STOPPED (switch on)');
    expect(text).toContain('Turned on by: Ann Admin');
    expect(text).toContain('Reason: Spam complaint from a customer');
    expect(text).toContain('Changed {{DATE(2025-03-14T08:00:00Z, SHORT)}}');
    // A stopped campaign whose switch is still on stays listed, so it can be released.
    expect(text).toContain('Campaign: Spring webinar (stopped): STOPPED (switch on)');
    expect(press(buttonFor(card, 'Resume all sending'), reason)).toMatchObject({ scope: 'tenant', active: false });
    expect(press(buttonFor(card, 'Resume campaign'), reason)).toMatchObject({ scope: 'campaign', campaignId: 'cmp_old', active: false });
  });

  it('shows a switch turned off with "resume" as off at once, then how many held sequences it resumed', () => {
    const off = { active: false, reason: 'Incident over', changedBy: 'Ann Admin', changedAt: '2025-03-14T09:00:00Z', release: 'resume' as const };
    const resuming = visibleText(
      buildKillSwitchCard({ tenant: { ...off, resumption: { releaseId: 'release-1', done: false } }, campaigns: {} }, { campaigns }),
    );
    expect(resuming).toContain('All sending: sending (switch off)');
    expect(resuming).toContain('Turned off by: Ann Admin');
    expect(resuming).toContain('Resuming the sequences it held…');

    const done = buildKillSwitchCard(
      { tenant: { ...off, resumption: { releaseId: 'release-1', done: true, sequencesResumed: 20 } }, campaigns: {} },
      { campaigns },
    );
    expectValidCard(done);
    expect(visibleText(done)).toContain('20 held sequences resumed.');
    expect(visibleText(done)).not.toContain('Resuming');
  });

  it('shows a switch turned off with "end all" as still stopping sends until its sequences have ended, then how many', () => {
    const off = { active: false, reason: 'Wrong list', changedBy: 'Ann Admin', changedAt: '2025-03-14T09:00:00Z', release: 'end' as const };
    const ending = visibleText(
      buildKillSwitchCard({ tenant: { ...off, resumption: { releaseId: 'release-2', done: false } }, campaigns: {} }, { campaigns }),
    );
    expect(ending).toContain('All sending: STOPPED (ending its sequences)');
    expect(ending).toContain('Ending every sequence in its scope; nothing is sent meanwhile…');

    const ended = buildKillSwitchCard(
      { tenant: { ...off, resumption: { releaseId: 'release-2', done: true, sequencesEnded: 7 } }, campaigns: {} },
      { campaigns },
    );
    expectValidCard(ended);
    expect(visibleText(ended)).toContain('All sending: sending (switch off)');
    expect(visibleText(ended)).toContain('7 sequences ended.');
  });

  it('needs a reason before any switch changes', () => {
    const card = buildKillSwitchCard(allOff, { campaigns });
    expect(inputIds(card)).toEqual(['reason']);
    expect(card.body.find((element) => element.id === 'reason')).toMatchObject({ isRequired: true });
    expect(() => press(buttonFor(card, 'Stop all sending'))).toThrow('reason is required');
  });

  it('refreshes itself for the users the caller names', () => {
    const card = buildKillSwitchCard(allOff, { campaigns, refreshUserIds: ['29:1a2b'] });
    expect(card.refresh?.userIds).toEqual(['29:1a2b']);
    expect(press(card.refresh!.action)).toEqual({ action: 'killswitch.refresh' });
  });

  it('says so when no campaign is running', () => {
    expect(visibleText(buildKillSwitchCard(allOff, { campaigns: [] }))).toContain('No campaign is running.');
  });

  it('lists at most eight campaigns and stays under the size limit with long names and reasons', () => {
    const long = '🚨'.repeat(3000);
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `cmp_${i}`, name: long, status: 'running' }));
    const state: KillSwitchState = {
      tenant: { active: true, reason: long, changedBy: long, changedAt: '2025-03-14T08:00:00Z' },
      campaigns: Object.fromEntries(many.map((c) => [c.id, { active: true, reason: long, changedBy: long, changedAt: 'yesterday-ish' }])),
    };
    const card = buildKillSwitchCard(state, { campaigns: many });
    expectValidCard(card);
    expect(cardBytes(card)).toBeLessThan(maxCardBytes);
    expect(executeButtons(card).filter((button) => button.title === 'Resume campaign')).toHaveLength(8);
    expect(visibleText(card)).toContain('22 more campaigns are not shown here: use the console.');
  });
});

describe('buildKillSwitchConfirmCard', () => {
  it('asks to confirm turning a campaign off, and only the confirmation carries the change', () => {
    const change = { scope: 'campaign' as const, campaignId: 'cmp_fintech', active: true, reason: 'Complaints from two prospects' };
    const card = buildKillSwitchConfirmCard(change, { campaignName: 'Q3 fintech outreach' });
    expectValidCard(card);
    expect(card.refresh).toBeUndefined();
    const text = visibleText(card);
    expect(text).toContain('Turn the kill switch ON for campaign "Q3 fintech outreach"?');
    expect(text).toContain('including emails already approved or queued');
    expect(text).toContain('Reason: Complaints from two prospects');
    const [confirm, cancel] = executeButtons(card);
    const confirmed = press(confirm!);
    if (confirmed.action !== 'killswitch.confirm') throw new Error(`expected a confirmation, got ${confirmed.action}`);
    expect(killSwitchChangeSchema.parse(killSwitchChangeOf(confirmed))).toEqual(change);
    expect(press(cancel!)).toEqual({ action: 'killswitch.refresh' });
  });

  it('offers whoever turns a switch off the choice: resume the held sequences, or end them all', () => {
    const change = { scope: 'tenant' as const, active: false, reason: 'Fixed' };
    const card = buildKillSwitchConfirmCard(change);
    expectValidCard(card);
    expect(visibleText(card)).toContain('Turn the kill switch OFF for all sending?');
    expect(visibleText(card)).toContain('the sequences it held go on where they stopped, approved emails go out');
    expect(visibleText(card)).toContain('nothing held is sent');
    const [resume, end, cancel] = executeButtons(card);
    expect(resume).toMatchObject({ title: 'Yes, resume sending', style: 'positive' });
    expect(end).toMatchObject({ title: 'Turn off and end all sequences', style: 'destructive' });
    for (const [button, release] of [
      [resume!, 'resume'],
      [end!, 'end'],
    ] as const) {
      const confirmed = press(button);
      if (confirmed.action !== 'killswitch.confirm') throw new Error(`expected a confirmation, got ${confirmed.action}`);
      expect(killSwitchChangeSchema.parse(killSwitchChangeOf(confirmed))).toEqual({ ...change, release });
    }
    expect(press(cancel!)).toEqual({ action: 'killswitch.refresh' });
  });
});
